"""The judged set of names: every person, place and agency the five demo
articles name, each spelt as Greek, Russian, German, Hungarian and English
write it, judged against the articles that mention it (by any spelling or
inflection; read off the articles by hand).

``kind`` says what a search can be expected to do with the spellings:

* ``"transliterated"``: the spellings are transcriptions of one another
  (Μπελούσοφ, Белоусов, Belousow, Belouszov): the cross-script key should
  make every spelling find every article.
* ``"exonym"``: the languages use their own names (Μόσχα, Москва, Moskau,
  Moszkva; Ρωσία, Россия, Russland, Oroszország): only the spellings that share
  a transcription can meet.
* ``"korean"``: Korean names, which each language transcribes from Korean by
  its own rules (Γκουάν, Гван, Kwang, Kvang): mostly out of reach of a
  transliteration between the four languages.

Articles: 000 el (quotes Russian), 001 el, 002 de, 003 el, 004 hu.
"""

from dataclasses import dataclass

LANGUAGES = ("el", "ru", "de", "hu", "en")


@dataclass(frozen=True)
class Name:
    name: str
    kind: str
    relevant: frozenset
    #: spellings in el, ru, de, hu, en
    spellings: tuple


def _name(name, kind, relevant, spellings):
    assert len(spellings) == len(LANGUAGES)
    return Name(name, kind, frozenset(relevant.split()), tuple(spellings))


ALL = "000 001 002 003 004"
T, X, K = "transliterated", "exonym", "korean"

NAMES = [
    # people
    _name("Andrei Belousov (surname)", T, "000 002 004", ["Μπελούσοφ", "Белоусов", "Belousow", "Belouszov", "Belousov"]),
    _name("Andrei Belousov (first name)", T, "000 002 004", ["Αντρέι", "Андрей", "Andrej", "Andrej", "Andrei"]),
    _name("Sergei Lavrov (surname)", T, "001 003", ["Λαβρόφ", "Лавров", "Lawrow", "Lavrov", "Lavrov"]),
    _name("Sergei Lavrov (first name)", T, "001 003", ["Σεργκέι", "Сергей", "Sergej", "Szergej", "Sergei"]),
    _name("Vladimir Putin (surname)", T, "001 002 003 004", ["Πούτιν", "Путин", "Putin", "Putyin", "Putin"]),
    _name("Vladimir Putin (first name)", T, "001 002 003 004", ["Βλαντίμιρ", "Владимир", "Wladimir", "Vlagyimir", "Vladimir"]),
    _name("Volodymyr Zelensky", T, "004", ["Ζελένσκι", "Зеленский", "Selenskyj", "Zelenszkij", "Zelensky"]),
    _name("Kim Jong Un", K, "001 003 004", ["Κιμ", "Ким", "Kim", "Kim", "Kim"]),
    _name("Choe Son Hui", K, "001", ["Τσόε", "Чхве", "Choe", "Cshö", "Choe"]),
    _name("No Kwang Chol", K, "000 002 004", ["Γκουάν", "Гван", "Kwang", "Kvang", "Kwang"]),
    _name("Yoon Suk Yeol", K, "000", ["Γιουν", "Юн", "Yoon", "Jun", "Yoon"]),
    # places
    _name("Kursk", T, "001 003 004", ["Κουρσκ", "Курск", "Kursk", "Kurszk", "Kursk"]),
    _name("Pyongyang", K, ALL, ["Πιονγιάνγκ", "Пхеньян", "Pjöngjang", "Phenjan", "Pyongyang"]),
    _name("Wonsan", K, "001", ["Γουονσάν", "Вонсан", "Wonsan", "Vonszan", "Wonsan"]),
    _name("Seoul", K, "000 004", ["Σεούλ", "Сеул", "Seoul", "Szöul", "Seoul"]),
    _name("Korea", T, ALL, ["Κορέα", "Корея", "Korea", "Korea", "Korea"]),
    _name("Tokyo", T, "000", ["Τόκιο", "Токио", "Tokio", "Tokió", "Tokyo"]),
    _name("Kyiv", X, "000 001 004", ["Κίεβο", "Киев", "Kiew", "Kijev", "Kyiv"]),
    _name("Ukraine", X, ALL, ["Ουκρανία", "Украина", "Ukraine", "Ukrajna", "Ukraine"]),
    _name("Moscow", X, ALL, ["Μόσχα", "Москва", "Moskau", "Moszkva", "Moscow"]),
    _name("Russia", X, ALL, ["Ρωσία", "Россия", "Russland", "Oroszország", "Russia"]),
    _name("Kremlin", X, "001 003", ["Κρεμλίνο", "Кремль", "Kreml", "Kreml", "Kremlin"]),
    _name("Pentagon", T, "004", ["Πεντάγωνο", "Пентагон", "Pentagon", "Pentagon", "Pentagon"]),
    # agencies
    _name("RIA Novosti", T, "000", ["Νοβόστι", "Новости", "Nowosti", "Novosztyi", "Novosti"]),
    _name("TASS", T, "001 004", ["ΤΑΣΣ", "ТАСС", "TASS", "TASZSZ", "TASS"]),
    _name("KCNA", T, "001", ["KCNA", "KCNA", "KCNA", "KCNA", "KCNA"]),
    _name("MTI", T, "004", ["MTI", "MTI", "MTI", "MTI", "MTI"]),
    _name("Reuters", T, "002", ["Ρόιτερς", "Рейтер", "Reuters", "Reuters", "Reuters"]),
    _name("CNN", T, "000", ["CNN", "CNN", "CNN", "CNN", "CNN"]),
]


@dataclass(frozen=True)
class Judged:
    name: Name
    lang: str
    spelling: str
    found: frozenset

    @property
    def hits(self):
        return len(self.found & self.name.relevant)


def judge(search, names=NAMES):
    """Every spelling of every name searched with ``search(text) -> {article
    prefix}``: one :class:`Judged` per spelling."""
    return [
        Judged(name, lang, spelling, frozenset(search(spelling)))
        for name in names
        for lang, spelling in zip(LANGUAGES, name.spellings)
    ]


def figures(judged):
    """Micro-averaged precision and recall over the judged spellings, and the
    share of spellings that find exactly the relevant articles."""
    found = sum(len(j.found) for j in judged)
    relevant = sum(len(j.name.relevant) for j in judged)
    hits = sum(j.hits for j in judged)
    return {
        "spellings": len(judged),
        "precision": hits / found if found else 1.0,
        "recall": hits / relevant,
        "exact": sum(j.found == j.name.relevant for j in judged) / len(judged),
    }
