"""What in a news page's text is not the article, in the four languages (and
English, which news sites mix in): share buttons, "follow us" lines, ad markers,
comment counters, "read next" lists, bylines, source lines and tweet credits.

Each rule is a pattern over one stripped line (a paragraph of the text).
"""

import re

_I = re.I | re.U

SHARE_WORDS = (
    "facebook|twitter|x|viber|whatsapp|messenger|telegram|linkedin|e-?mail|mail|pinterest|reddit|vk|"
    "print|copy link|share|tweet|teilen|drucken|μοιράσου το|μοιραστείτε|κοινοποίηση|εκτύπωση|"
    "megosztás|megosztom|nyomtatás|поделиться|печать|одноклассники"
)
SHARE_LINE = re.compile(rf"^(?:(?:{SHARE_WORDS})[\s,|/·•]*)+$", _I)

FOLLOW_LINE = re.compile(
    r"google news|google hírek|google новости|"
    r"^(?:follow us|folgen sie uns|kövess(?:en)? minket|подписывайтесь|ακολουθήστε μας|ακολουθήστε το)\b|"
    r"^διαβάστε (?:τις |όλες τις )?ειδήσεις|^(?:abonnieren sie|iratkozzon fel|подпишитесь на)\b",
    _I,
)

AD_MARKER = re.compile(
    r"^\[?\s*(?:anzeige|werbung|advertisement|ad|ads|διαφήμιση|hirdetés|реклама|sponsored)(?:[_ ]?\d+)?\s*\]?$|"
    r"^\[[\w ]+_\d+\]$",
    _I,
)

COMMENT_COUNTER = re.compile(
    r"^(?:kommentare?|comments?|σχόλια|hozzászólás(?:ok)?|комментари[йи]?)\s*\(\d+\)$", _I
)

READ_NEXT_HEADING = re.compile(
    r"^(?:διαβάζονται αυτή τη στιγμή|διαβάστε (?:επίσης|ακόμα|ακόμη)|δείτε (?:επίσης|ακόμα|ακόμη)|"
    r"τα πιο δημοφιλή|περισσότερα άρθρα|σχετικά άρθρα|"
    r"lesen sie (?:auch|mehr)|mehr zum thema|meistgelesen|weitere artikel|das könnte sie auch interessieren|"
    r"kapcsolódó(?: cikkek| hírek)?|ajánló|legolvasottabb|olvasd el ezt is|további híreink|"
    r"читайте также|по теме|популярное|самое читаемое|"
    r"read next|read more|related(?: articles| stories| news)?|most read|more stories|best of [\w ]+)\s*:?$",
    _I,
)
# "Lesen Sie auch: <headline>" on one line.
READ_NEXT_INLINE = re.compile(
    r"^(?:διαβάστε (?:επίσης|ακόμα)|δείτε (?:επίσης|ακόμα)|lesen sie auch|mehr zum thema|"
    r"olvasd el ezt is|kapcsolódó|читайте также|read more|see also)\s*:\s*\S",
    _I,
)

BYLINE = re.compile(
    r"^(?:newsroom|redaktion|szerkesztőség|редакция|σύνταξη|"
    r"(?:by|von|írta:|автор:|του|της)\s+[\w .\-]{2,40})$",
    _I,
)

SOURCE_LINE = re.compile(r"^(?:πηγή|πηγές|quelle|quellen|forrás|источник|source)\s*:\s*(?P<value>\S.{0,200})$", _I)

# "… pic.twitter.com/VbA270TcUA — Новая газета Европа (@novayagazeta_eu) November 29, 2024"
TWEET_CREDIT = re.compile(
    r"\s*(?:pic\.twitter\.com/\w+\s*)?[—–-]\s*[^—–\n]{1,80}\(@\w{1,30}\)\s*"
    r"(?P<date>[A-Za-z]+ \d{1,2}, \d{4})\s*$"
)
TWEET_LINK = re.compile(r"\s*pic\.twitter\.com/\w+")

# "(Dan Tri) – In einer Erklärung…", "MOSZKVA (MTI) – …"
AGENCY_DATELINE = re.compile(r"^(?:[A-ZΑ-ΩА-ЯÁÉÍÓÖŐÚÜŰ][\w.\- ]{1,30}\s+)?\((?P<agency>[^()\d]{2,40})\)\s*[–—-]\s*")

# A leading machine-written date marker: " date 2025-04-28 Η Βόρεια Κορέα…"
DATE_MARKER = re.compile(r"^\s*date\s+(?P<date>\d{4}-\d{2}-\d{2}(?:[T ]\d{2}:\d{2}(?::\d{2})?)?)\s*", _I)


def is_noise(line):
    """The reason ``line`` is boilerplate, or ``None`` if it may be article text."""
    if SHARE_LINE.match(line):
        return "share buttons"
    if len(line) < 250 and FOLLOW_LINE.search(line):
        return "follow-us promotion"
    if AD_MARKER.match(line):
        return "ad marker"
    if COMMENT_COUNTER.match(line):
        return "comment counter"
    if READ_NEXT_INLINE.match(line) and len(line) < 250:
        return "read-next link"
    if len(line) < 60 and BYLINE.match(line):
        return "byline"
    return None
