package dev.loopline.core.guard.command;

import java.util.List;
import java.util.Set;

/**
 * What a pipeline stage makes of text: what {@code echo}, {@code printf} and heredocs print (escapes decoded),
 * which stages decode or transform their input (base64, xxd, rev, tr, decompressors, sed…), and which files a
 * download or decoder writes. The analyzer uses it to see the code a shell is really given.
 */
final class GeneratedText {
    private GeneratedText() {}

    static final Set<String> TRANSFORMERS = Set.of(
            "rev",
            "tr",
            "uudecode",
            "gunzip",
            "zcat",
            "gzcat",
            "bunzip2",
            "bzcat",
            "xzcat",
            "unxz",
            "unzstd",
            "zstdcat",
            "sed",
            "awk",
            "gawk",
            "mawk",
            "nawk",
            "perl",
            "iconv",
            "recode",
            "unlzma",
            "lzcat",
            "brotli");

    /** A stage that turns its input into other text: base64/xxd decoding, reversing, rot13, decompression, sed. */
    /** Commands that decode only with an option ({@code base64 -d}, {@code xxd -r}, {@code gzip -d}). */
    static final Set<String> OPTION_DECODERS = Set.of(
            "base64", "base32", "basenc", "gbase64", "b64", "xxd", "openssl", "gzip", "bzip2", "xz", "zstd", "lzma",
            "gpg");

    static boolean isDecoder(String name, List<Word> w, int i) {
        if (!CommandKinds.is(name, CommandKinds.DECODER)) {
            return false;
        }
        if (TRANSFORMERS.contains(name)) {
            return true;
        }
        switch (name) {
            case "base64", "base32", "basenc", "gbase64", "b64" -> {
                for (int j = i + 1; j < w.size(); j++) {
                    String a = w.get(j).text();
                    if (a.equals("--decode")
                            || a.equals("-D")
                            || (a.startsWith("-") && !a.startsWith("--") && a.indexOf('d') > 0)) {
                        return true;
                    }
                }
                return false;
            }
            case "xxd" -> {
                for (int j = i + 1; j < w.size(); j++) {
                    String a = w.get(j).text();
                    if (a.equals("--revert") || (a.startsWith("-") && !a.startsWith("--") && a.indexOf('r') > 0)) {
                        return true;
                    }
                }
                return false;
            }
            case "openssl", "gzip", "bzip2", "xz", "zstd", "lzma", "gpg" -> {
                for (int j = i + 1; j < w.size(); j++) {
                    String a = w.get(j).text();
                    if (a.equals("-d")
                            || a.equals("--decompress")
                            || a.equals("--decrypt")
                            || a.equals("-base64")
                            || a.equals("base64")
                            || a.equals("enc")) {
                        return true;
                    }
                }
                return false;
            }
            default -> {
                return false;
            }
        }
    }

    /** Files a download (or a stage downstream of one) writes: {@code -o f}, {@code -O}, {@code > f}, {@code tee f}. */
    static void addDownloadTargets(SimpleCommand c, int k, Set<String> fetched) {
        List<Word> w = c.words;
        boolean tee = k < w.size() && CommandAnalyzer.commandName(w.get(k)).equals("tee");
        for (int j = k + 1; j < w.size(); j++) {
            String a = w.get(j).text();
            if (tee && !a.startsWith("-")) {
                fetched.add(normalise(a));
            } else if (a.equals("-o")
                    || a.equals("-O")
                    || a.equals("--output")
                    || a.equals("--output-document")
                    || (a.startsWith("-") && !a.startsWith("--") && a.length() > 2 && a.endsWith("o"))) {
                if (j + 1 < w.size()) {
                    fetched.add(normalise(w.get(j + 1).text()));
                }
            } else if (a.startsWith("--output=") || a.startsWith("--output-document=")) {
                fetched.add(normalise(a.substring(a.indexOf('=') + 1)));
            } else if (a.startsWith("-o") && a.length() > 2 && !a.startsWith("--")) {
                fetched.add(normalise(a.substring(2)));
            } else {
                int scheme = a.indexOf("://");
                if (scheme > 0) {
                    String path = a;
                    int q = path.indexOf('?');
                    path = q >= 0 ? path.substring(0, q) : path;
                    int slash = path.lastIndexOf('/');
                    if (slash > scheme + 2 && slash < path.length() - 1) {
                        fetched.add(path.substring(slash + 1));
                    }
                }
            }
        }
        for (Redirect r : c.redirects) {
            if (r.writesFile()) {
                fetched.add(normalise(r.target().text()));
            }
        }
    }

    static String normalise(String path) {
        String p = path;
        while (p.startsWith("./")) {
            p = p.substring(2);
        }
        return p;
    }

    /** Text a stage prints that the next stage may run: {@code echo ... | sh}, {@code cat <<EOF | bash}. */
    static String generatedScript(String name, SimpleCommand stage, int i) {
        List<Word> w = stage.words;
        switch (name) {
            case "echo" -> {
                int j = i + 1;
                boolean escapes = false;
                while (j < w.size()
                        && w.get(j).text().startsWith("-")
                        && w.get(j).text().length() > 1) {
                    escapes |= w.get(j).text().indexOf('e') > 0;
                    j++;
                }
                String text = CommandAnalyzer.join(w, j);
                return escapes ? unescape(text) : text;
            }
            case "printf" -> {
                return i + 1 < w.size() ? printf(w, i + 1) : null;
            }
            case "cat" -> {
                for (Redirect r : stage.redirects) {
                    if (r.body() != null) {
                        return r.body();
                    }
                }
                return null;
            }
            default -> {
                return null;
            }
        }
    }

    /** What {@code printf FORMAT ARGS…} prints: {@code %s}/{@code %b} take the arguments, escapes are decoded. */
    static String printf(List<Word> w, int from) {
        int j = from;
        if (w.get(j).text().equals("--")) {
            j++;
        }
        if (j < w.size() && w.get(j).text().equals("-v")) {
            return null; // assigns to a variable, prints nothing
        }
        if (j >= w.size()) {
            return null;
        }
        String format = w.get(j).text();
        int arg = j + 1;
        StringBuilder out = new StringBuilder();
        int rounds = 0;
        do {
            for (int k = 0; k < format.length(); k++) {
                char c = format.charAt(k);
                if (c == '%' && k + 1 < format.length()) {
                    int e = k + 1;
                    while (e < format.length() && "-+ #0123456789.".indexOf(format.charAt(e)) >= 0) {
                        e++;
                    }
                    if (e < format.length() && format.charAt(e) == '%') {
                        out.append('%');
                    } else if (e < format.length()) {
                        String a = arg < w.size() ? w.get(arg++).text() : "";
                        out.append(format.charAt(e) == 'b' ? unescape(a) : a);
                    }
                    k = e;
                } else {
                    out.append(c);
                }
            }
        } while (arg < w.size() && ++rounds < 64);
        return unescape(out.toString());
    }

    /** Decodes the backslash escapes of {@code printf} and {@code echo -e}: {@code \xHH}, {@code \NNN}, {@code \n}… */
    static String unescape(String s) {
        if (s.indexOf('\\') < 0) {
            return s;
        }
        StringBuilder out = new StringBuilder(s.length());
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (c != '\\' || k + 1 >= s.length()) {
                out.append(c);
                continue;
            }
            char n = s.charAt(++k);
            switch (n) {
                case 'n' -> out.append('\n');
                case 't' -> out.append('\t');
                case 'r' -> out.append('\r');
                case '\\' -> out.append('\\');
                case 'x' -> {
                    int v = 0;
                    int d = 0;
                    while (d < 2 && k + 1 < s.length() && Character.digit(s.charAt(k + 1), 16) >= 0) {
                        v = v * 16 + Character.digit(s.charAt(++k), 16);
                        d++;
                    }
                    out.append(d == 0 ? "\\x" : String.valueOf((char) v));
                }
                case 'u', 'U' -> {
                    int v = 0;
                    int d = 0;
                    int max = n == 'u' ? 4 : 8;
                    while (d < max && k + 1 < s.length() && Character.digit(s.charAt(k + 1), 16) >= 0) {
                        v = v * 16 + Character.digit(s.charAt(++k), 16);
                        d++;
                    }
                    if (d == 0 || !Character.isValidCodePoint(v)) {
                        out.append('\\').append(n);
                    } else {
                        out.appendCodePoint(v);
                    }
                }
                default -> {
                    if (n >= '0' && n <= '7') {
                        int v = n - '0';
                        int d = 1;
                        while (d < 4 && k + 1 < s.length() && s.charAt(k + 1) >= '0' && s.charAt(k + 1) <= '7') {
                            v = v * 8 + (s.charAt(++k) - '0');
                            d++;
                        }
                        out.append((char) (v & 0xff));
                    } else {
                        out.append('\\').append(n);
                    }
                }
            }
        }
        return out.toString();
    }
}
