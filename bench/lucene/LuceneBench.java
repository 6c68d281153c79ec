// The Lucene reference of bench/performance.py: indexes the benchmark corpus with Lucene's own
// Greek, German, Hungarian and Russian analyzers (one title and one body field per language, like
// ours) and times the benchmark's queries in process.  Compiled by the benchmark against Debian's
// liblucene8-java jars.
//
//   java -cp CLASSPATH LuceneBench CORPUS.tsv QUERIES.tsv INDEX_DIR RAM_BUFFER_MB
//
// CORPUS.tsv: id, lang, date (yyyy-MM-ddTHH:mm), source, title, body per line; "\n" in a field is
// written as the two characters \ and n.  QUERIES.tsv: qid, languages (comma-separated), Lucene
// query syntax; rows whose qid starts with "warm-" are run untimed first.  Prints "build SECONDS DOCS INDEX_BYTES", then "query QID MS HITS" per timed query.
import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.de.GermanAnalyzer;
import org.apache.lucene.analysis.el.GreekAnalyzer;
import org.apache.lucene.analysis.hu.HungarianAnalyzer;
import org.apache.lucene.analysis.miscellaneous.PerFieldAnalyzerWrapper;
import org.apache.lucene.analysis.ru.RussianAnalyzer;
import org.apache.lucene.analysis.standard.StandardAnalyzer;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.LongPoint;
import org.apache.lucene.document.NumericDocValuesField;
import org.apache.lucene.document.SortedDocValuesField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.queryparser.classic.MultiFieldQueryParser;
import org.apache.lucene.queryparser.classic.QueryParser;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.BytesRef;

public class LuceneBench {
    static final String[] LANGS = {"el", "de", "hu", "ru"};

    static Analyzer analyzerFor(String lang) {
        switch (lang) {
            case "el": return new GreekAnalyzer();
            case "de": return new GermanAnalyzer();
            case "hu": return new HungarianAnalyzer();
            case "ru": return new RussianAnalyzer();
            default: return new StandardAnalyzer();
        }
    }

    static final int WARM_UP_QUERIES = 5000;

    /** Parse, search and read the stored ids of the top 10; the number of hits. */
    static long run(IndexSearcher searcher, Analyzer analyzer, String[] row) throws Exception {
        List<String> fields = new ArrayList<>();
        Map<String, Float> boosts = new HashMap<>();
        for (String lang : row[1].split(",")) {
            fields.add("title_" + lang);
            fields.add("body_" + lang);
            boosts.put("title_" + lang, 2.0f);
            boosts.put("body_" + lang, 1.0f);
        }
        MultiFieldQueryParser parser = new MultiFieldQueryParser(fields.toArray(new String[0]), analyzer, boosts);
        parser.setDefaultOperator(QueryParser.Operator.AND);
        Query query = parser.parse(row[2]);
        TopDocs top = searcher.search(query, 10);
        for (ScoreDoc hit : top.scoreDocs) searcher.doc(hit.doc).get("id");
        return top.totalHits.value;
    }

    static String unescape(String field) {
        return field.replace("\\n", "\n");
    }

    public static void main(String[] args) throws Exception {
        Path corpus = Paths.get(args[0]);
        Path queries = Paths.get(args[1]);
        Path indexDir = Paths.get(args[2]);
        double ramBufferMb = Double.parseDouble(args[3]);

        Map<String, Analyzer> perField = new HashMap<>();
        for (String lang : LANGS) {
            perField.put("title_" + lang, analyzerFor(lang));
            perField.put("body_" + lang, analyzerFor(lang));
        }
        Analyzer analyzer = new PerFieldAnalyzerWrapper(new StandardAnalyzer(), perField);

        long started = System.nanoTime();
        int docs = 0;
        try (FSDirectory dir = FSDirectory.open(indexDir)) {
            IndexWriterConfig config = new IndexWriterConfig(analyzer);
            config.setOpenMode(IndexWriterConfig.OpenMode.CREATE);
            config.setRAMBufferSizeMB(ramBufferMb);
            try (IndexWriter writer = new IndexWriter(dir, config);
                 BufferedReader in = Files.newBufferedReader(corpus, StandardCharsets.UTF_8)) {
                String line;
                while ((line = in.readLine()) != null) {
                    String[] f = line.split("\t", -1);
                    String lang = f[1];
                    Document doc = new Document();
                    doc.add(new StringField("id", f[0], Field.Store.YES));
                    doc.add(new StringField("lang", lang, Field.Store.YES));
                    doc.add(new SortedDocValuesField("lang", new BytesRef(lang)));
                    long day = Long.parseLong(f[2].substring(0, 10).replace("-", ""));
                    doc.add(new LongPoint("published", day));
                    doc.add(new NumericDocValuesField("published", day));
                    doc.add(new StoredField("date", f[2]));
                    doc.add(new StringField("source", f[3], Field.Store.YES));
                    doc.add(new SortedDocValuesField("source", new BytesRef(f[3])));
                    doc.add(new TextField("title_" + lang, unescape(f[4]), Field.Store.YES));
                    doc.add(new TextField("body_" + lang, unescape(f[5]), Field.Store.YES));
                    writer.addDocument(doc);
                    docs++;
                }
                writer.commit();
            }
        }
        double buildSeconds = (System.nanoTime() - started) / 1e9;
        long bytes;
        try (Stream<Path> files = Files.walk(indexDir)) {
            bytes = files.filter(Files::isRegularFile).mapToLong(p -> p.toFile().length()).sum();
        }
        System.out.printf("build %.3f %d %d%n", buildSeconds, docs, bytes);

        List<String[]> rows = new ArrayList<>();
        for (String line : Files.readAllLines(queries, StandardCharsets.UTF_8)) {
            if (!line.isEmpty()) rows.add(line.split("\t", -1));
        }
        try (DirectoryReader reader = DirectoryReader.open(FSDirectory.open(indexDir))) {
            IndexSearcher searcher = new IndexSearcher(reader);
            // The "warm-" queries (others than the timed ones) warm up the JIT and the page cache, over
            // several passes: the JVM compiles its hot paths only after thousands of calls.
            List<String[]> warm = new ArrayList<>();
            List<String[]> timed = new ArrayList<>();
            for (String[] row : rows) (row[0].startsWith("warm-") ? warm : timed).add(row);
            int passes = warm.isEmpty() ? 0 : Math.max(1, (WARM_UP_QUERIES + warm.size() - 1) / warm.size());
            for (int pass = 0; pass < passes; pass++) {
                for (String[] row : warm) run(searcher, analyzer, row);
            }
            for (String[] row : timed) {
                long t0 = System.nanoTime();
                long hits = run(searcher, analyzer, row);
                double ms = (System.nanoTime() - t0) / 1e6;
                System.out.printf("query %s %.4f %d%n", row[0], ms, hits);
            }
        }
    }
}
