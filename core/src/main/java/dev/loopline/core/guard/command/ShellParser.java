package dev.loopline.core.guard.command;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * A hand-written lexer and recursive-descent parser for the POSIX shell subset that agents emit. It produces
 * the flat list of every simple command the script would execute, including commands inside subshells, brace
 * groups, control structures, function bodies and command or process substitutions. Heredoc bodies, quoted
 * strings and comments are data. Anything it cannot parse raises {@link ParseException}.
 *
 * <p>One instance parses one source string and is not thread-safe; create one per call.
 */
final class ShellParser {
    static final int MAX_DEPTH = 32;
    static final int MAX_LENGTH = 256 * 1024;

    private static final Set<String> THEN = Set.of("then");
    private static final Set<String> IF_BODY = Set.of("elif", "else", "fi");
    private static final Set<String> FI = Set.of("fi");
    private static final Set<String> DO = Set.of("do");
    private static final Set<String> DONE = Set.of("done");
    private static final Set<String> BRACE_CLOSE = Set.of("}");
    private static final Set<String> ESAC = Set.of("esac");
    private static final Set<String> NONE = Set.of();

    private enum Tok {
        WORD,
        SEMI,
        AMP,
        AND_IF,
        OR_IF,
        PIPE,
        LPAREN,
        RPAREN,
        DSEMI,
        NEWLINE,
        REDIR,
        EOF
    }

    private record HeredocPending(String delimiter, boolean stripTabs, SimpleCommand command, int redirectIndex) {}

    private final String src;
    private final int end;
    private final List<SimpleCommand> sink;
    private final int baseDepth;
    private int pos;
    private int depth;
    /** The innermost function whose body is being parsed, or null (outer ones wait on the Java stack). */
    private String function;
    /** Heredocs whose bodies start after the next newline; null until the first one (most scripts have none). */
    private List<HeredocPending> heredocs;
    /** The pipeline stages of the and-or lists being parsed, innermost last: a trailing {@code &} marks them. */
    private final List<SimpleCommand> started = new ArrayList<>(4);

    // one-token lookahead
    private Tok tok;
    private Word tokWord;
    private String tokOp;
    private int tokFd;
    private boolean peeked;

    private ShellParser(String src, List<SimpleCommand> sink, int depth) {
        this.src = src;
        this.end = src.length();
        this.sink = sink;
        this.baseDepth = depth;
        this.depth = depth;
    }

    /** Parses a whole script and returns every simple command it would run, in source order. */
    static List<SimpleCommand> parse(String script) throws ParseException {
        return parse(script, 0);
    }

    static List<SimpleCommand> parse(String script, int depth) throws ParseException {
        if (script.length() > MAX_LENGTH) {
            throw new ParseException("input longer than " + MAX_LENGTH + " characters");
        }
        if (depth > MAX_DEPTH) {
            throw new ParseException("nesting deeper than " + MAX_DEPTH);
        }
        List<SimpleCommand> sink = new ArrayList<>(4);
        new ShellParser(script, sink, depth).parseScript();
        return sink;
    }

    private void parseScript() throws ParseException {
        parseList(NONE, false, false);
        Tok t = peek();
        if (t != Tok.EOF) {
            throw new ParseException("unexpected " + describe(t) + " at offset " + pos);
        }
    }

    // ---------------------------------------------------------------- grammar

    private void enter() throws ParseException {
        if (++depth > MAX_DEPTH) {
            throw new ParseException("nesting deeper than " + MAX_DEPTH);
        }
    }

    private void leave() {
        depth--;
    }

    /**
     * Parses and-or lists until end of input, or a closing token this context accepts: a reserved word in
     * {@code stopWords} at command position, a {@code )} when {@code stopAtParen}, {@code ;;} when
     * {@code stopAtDsemi}. The stop token is left unconsumed.
     */
    private void parseList(Set<String> stopWords, boolean stopAtParen, boolean stopAtDsemi) throws ParseException {
        enter();
        while (true) {
            Tok t = peek();
            if (t == Tok.NEWLINE || t == Tok.SEMI) {
                next();
                continue;
            }
            if (t == Tok.EOF) {
                break;
            }
            if (t == Tok.RPAREN) {
                if (stopAtParen) {
                    break;
                }
                throw new ParseException("unbalanced ')' at offset " + pos);
            }
            if (t == Tok.DSEMI) {
                if (stopAtDsemi) {
                    break;
                }
                throw new ParseException("unexpected ';;'");
            }
            if (t == Tok.AMP || t == Tok.AND_IF || t == Tok.OR_IF || t == Tok.PIPE) {
                throw new ParseException("unexpected " + describe(t) + " at offset " + pos);
            }
            if (t == Tok.WORD && isReservedCloser(tokWord)) {
                if (stopWords.contains(tokWord.text())) {
                    break;
                }
                throw new ParseException("unexpected '" + tokWord.text() + "'");
            }
            // the stages this and-or list starts are pushed above `mark` (nested lists push and pop their own)
            int mark = started.size();
            parseAndOr();
            if (peek() == Tok.AMP) {
                next();
                for (int i = mark; i < started.size(); i++) {
                    started.get(i).background = true;
                }
            }
            while (started.size() > mark) {
                started.remove(started.size() - 1);
            }
        }
        leave();
    }

    private static boolean isReservedCloser(Word w) {
        if (w.quoted() || w.expansion()) {
            return false;
        }
        return switch (w.text()) {
            case "then", "elif", "else", "fi", "do", "done", "esac", "}", "]]" -> true;
            default -> false;
        };
    }

    private void parseAndOr() throws ParseException {
        parsePipeline();
        while (peek() == Tok.AND_IF || tok == Tok.OR_IF) {
            next();
            skipNewlines();
            parsePipeline();
        }
    }

    private void parsePipeline() throws ParseException {
        if (peek() == Tok.WORD && tokWord.isBare("!")) {
            next();
        }
        List<SimpleCommand> pipeline = new ArrayList<>(2);
        parseCommand(pipeline);
        while (peek() == Tok.PIPE) {
            next();
            skipNewlines();
            parseCommand(pipeline);
        }
        for (SimpleCommand c : pipeline) {
            c.pipeline = pipeline;
            started.add(c);
        }
    }

    private void skipNewlines() throws ParseException {
        while (peek() == Tok.NEWLINE) {
            next();
        }
    }

    /** Parses one command; the command heading a pipeline stage (its own or a compound) joins {@code pipeline}. */
    private void parseCommand(List<SimpleCommand> pipeline) throws ParseException {
        Tok t = peek();
        if (t == Tok.LPAREN) {
            next();
            int before = sink.size();
            parseList(NONE, true, false);
            expect(Tok.RPAREN, "')'");
            compoundTail(pipeline, before);
            return;
        }
        if (t != Tok.WORD && t != Tok.REDIR) {
            throw new ParseException("expected a command but found " + describe(t) + " at offset " + pos);
        }
        if (t == Tok.WORD && !tokWord.quoted() && !tokWord.expansion()) {
            String w = tokWord.text();
            int before = sink.size();
            switch (w) {
                case "{" -> {
                    next();
                    parseList(BRACE_CLOSE, false, false);
                    expectWord("}");
                    compoundTail(pipeline, before);
                    return;
                }
                case "if" -> {
                    next();
                    parseIf();
                    compoundTail(pipeline, before);
                    return;
                }
                case "while", "until" -> {
                    next();
                    parseList(DO, false, false);
                    parseDoGroup();
                    compoundTail(pipeline, before);
                    return;
                }
                case "for", "select" -> {
                    next();
                    parseFor();
                    compoundTail(pipeline, before);
                    return;
                }
                case "case" -> {
                    next();
                    parseCase();
                    compoundTail(pipeline, before);
                    return;
                }
                case "[[" -> {
                    next();
                    parseConditional(pipeline);
                    return;
                }
                case "function" -> {
                    next();
                    if (peek() != Tok.WORD) {
                        throw new ParseException("function name expected");
                    }
                    String name = next().text();
                    if (peek() == Tok.LPAREN) {
                        next();
                        expect(Tok.RPAREN, "')'");
                    }
                    parseFunctionBody(name);
                    return;
                }
                default -> {
                    // a simple command
                }
            }
        }
        parseSimpleCommand(pipeline);
    }

    /** Trailing redirections of a compound command apply to all of it; record them on a word-less command. */
    private void compoundTail(List<SimpleCommand> pipeline, int firstInside) throws ParseException {
        SimpleCommand holder = new SimpleCommand();
        holder.enclosingFunction = function;
        while (peek() == Tok.REDIR) {
            readRedirect(holder);
        }
        if (!holder.redirects.isEmpty()) {
            sink.add(holder);
        }
        // commands inside a compound stage share the pipeline position of that stage
        if (firstInside < sink.size()) {
            SimpleCommand first = sink.get(firstInside);
            if (sink.size() - firstInside > 1) {
                first.group = new ArrayList<>(sink.subList(firstInside, sink.size()));
            }
            pipeline.add(first);
        } else {
            pipeline.add(holder);
        }
    }

    private void parseIf() throws ParseException {
        parseList(THEN, false, false);
        expectWord("then");
        parseList(IF_BODY, false, false);
        while (true) {
            Word w = expectOneOf(IF_BODY);
            switch (w.text()) {
                case "elif" -> {
                    parseList(THEN, false, false);
                    expectWord("then");
                    parseList(IF_BODY, false, false);
                }
                case "else" -> parseList(FI, false, false);
                default -> {
                    return;
                }
            }
        }
    }

    private void parseDoGroup() throws ParseException {
        skipNewlinesAndSemis();
        expectWord("do");
        parseList(DONE, false, false);
        expectWord("done");
    }

    private void parseFor() throws ParseException {
        if (peek() != Tok.WORD) {
            throw new ParseException("loop variable expected");
        }
        next();
        skipNewlines();
        if (peek() == Tok.WORD && tokWord.isBare("in")) {
            next();
            while (peek() == Tok.WORD) {
                next();
            }
        }
        parseDoGroup();
    }

    private void skipNewlinesAndSemis() throws ParseException {
        while (peek() == Tok.NEWLINE || tok == Tok.SEMI) {
            next();
        }
    }

    private void parseCase() throws ParseException {
        if (peek() != Tok.WORD) {
            throw new ParseException("case subject expected");
        }
        next();
        skipNewlines();
        expectWord("in");
        enter();
        while (true) {
            skipNewlines();
            if (peek() == Tok.WORD && tokWord.isBare("esac")) {
                next();
                break;
            }
            if (peek() == Tok.LPAREN) {
                next();
            }
            if (peek() != Tok.WORD) {
                throw new ParseException("case pattern expected");
            }
            next();
            while (peek() == Tok.PIPE) {
                next();
                if (peek() != Tok.WORD) {
                    throw new ParseException("case pattern expected");
                }
                next();
            }
            expect(Tok.RPAREN, "')'");
            parseList(ESAC, false, true);
            if (peek() == Tok.DSEMI) {
                next();
            }
        }
        leave();
    }

    private void parseConditional(List<SimpleCommand> pipeline) throws ParseException {
        // `[[ ... ]]`: an expression, its words are data (substitutions inside them were already parsed)
        SimpleCommand holder = new SimpleCommand();
        holder.enclosingFunction = function;
        while (true) {
            Tok t = peek();
            if (t == Tok.WORD && tokWord.isBare("]]")) {
                next();
                break;
            }
            if (t == Tok.EOF) {
                throw new ParseException("unterminated '[['");
            }
            next();
        }
        while (peek() == Tok.REDIR) {
            readRedirect(holder);
        }
        if (!holder.redirects.isEmpty()) {
            sink.add(holder);
        }
        pipeline.add(holder);
    }

    private void parseFunctionBody(String name) throws ParseException {
        skipNewlines();
        String outer = function;
        function = name;
        try {
            List<SimpleCommand> bodyStage = new ArrayList<>(1);
            parseCommand(bodyStage);
        } finally {
            function = outer;
        }
    }

    private void parseSimpleCommand(List<SimpleCommand> pipeline) throws ParseException {
        SimpleCommand cmd = new SimpleCommand();
        cmd.enclosingFunction = function;
        while (true) {
            Tok t = peek();
            if (t == Tok.WORD) {
                cmd.words.add(next());
            } else if (t == Tok.REDIR) {
                readRedirect(cmd);
            } else if (t == Tok.LPAREN && isArrayAssignmentStart(cmd)) {
                next();
                readArrayAssignment(cmd);
            } else if (t == Tok.LPAREN && cmd.words.size() == 1 && cmd.redirects.isEmpty()) {
                // `name() body`: a function definition, not a command
                next();
                expect(Tok.RPAREN, "')'");
                parseFunctionBody(cmd.words.get(0).text());
                return;
            } else {
                break;
            }
        }
        if (cmd.words.isEmpty() && cmd.redirects.isEmpty()) {
            throw new ParseException("empty command at offset " + pos);
        }
        sink.add(cmd);
        pipeline.add(cmd);
    }

    private static boolean isArrayAssignmentStart(SimpleCommand cmd) {
        if (cmd.words.isEmpty()) {
            return false;
        }
        Word last = cmd.words.get(cmd.words.size() - 1);
        return !last.expansion() && last.text().endsWith("=") && last.isAssignment();
    }

    /** {@code a=(x y z)}: the elements become one assignment word whose value is the elements joined by spaces. */
    private void readArrayAssignment(SimpleCommand cmd) throws ParseException {
        Word head = cmd.words.remove(cmd.words.size() - 1);
        StringBuilder text = new StringBuilder(head.text());
        boolean expansion = false;
        List<SimpleCommand> substituted = List.of();
        int count = 0;
        while (true) {
            Tok t = peek();
            if (t == Tok.NEWLINE) {
                next();
                continue;
            }
            if (t == Tok.RPAREN) {
                next();
                break;
            }
            if (t != Tok.WORD) {
                throw new ParseException("unterminated array assignment");
            }
            Word e = next();
            if (count++ > 0) {
                text.append(' ');
            }
            text.append(e.text());
            expansion |= e.expansion();
            if (!e.substituted().isEmpty()) {
                if (substituted.isEmpty()) {
                    substituted = new ArrayList<>(2);
                }
                substituted.addAll(e.substituted());
            }
        }
        cmd.words.add(new Word(text.toString(), false, -1, expansion, substituted));
    }

    private void readRedirect(SimpleCommand cmd) throws ParseException {
        next();
        String op = tokOp;
        int fd = tokFd;
        if (peek() != Tok.WORD) {
            throw new ParseException("redirection '" + op + "' without a target");
        }
        Word target = next();
        if (op.equals("<<") || op.equals("<<-")) {
            if (heredocs == null) {
                heredocs = new ArrayList<>(1);
            }
            heredocs.add(new HeredocPending(target.text(), op.equals("<<-"), cmd, cmd.redirects.size()));
        }
        cmd.addRedirect(new Redirect(op, fd, target, op.equals("<<<") ? target.text() : null));
    }

    private void expect(Tok kind, String what) throws ParseException {
        Tok t = peek();
        if (t != kind) {
            throw new ParseException("expected " + what + " but found " + describe(t));
        }
        next();
    }

    private void expectWord(String word) throws ParseException {
        Tok t = peek();
        if (t != Tok.WORD || !tokWord.isBare(word)) {
            throw new ParseException("expected '" + word + "' but found " + describe(t));
        }
        next();
    }

    private Word expectOneOf(Set<String> words) throws ParseException {
        Tok t = peek();
        if (t != Tok.WORD || tokWord.quoted() || !words.contains(tokWord.text())) {
            // sorted: a Set.of iterates in an order that changes from one JVM to the next
            throw new ParseException("expected one of " + new TreeSet<>(words) + " but found " + describe(t));
        }
        return next();
    }

    private String describe(Tok t) {
        return switch (t) {
            case WORD -> "'" + tokWord.text() + "'";
            case REDIR -> "'" + tokOp + "'";
            case EOF -> "end of input";
            default -> t.name();
        };
    }

    // ---------------------------------------------------------------- lexer

    private Tok peek() throws ParseException {
        if (!peeked) {
            lex();
            peeked = true;
        }
        return tok;
    }

    /** Consumes the current token; returns its word for WORD tokens. */
    private Word next() throws ParseException {
        peek();
        peeked = false;
        return tokWord;
    }

    private void lex() throws ParseException {
        tokWord = null;
        tokOp = null;
        tokFd = -1;
        // blanks, line continuations and comments
        while (pos < end) {
            char c = src.charAt(pos);
            if (c == ' ' || c == '\t' || c == '\r' || c == '\f') {
                pos++;
            } else if (c == '\\' && pos + 1 < end && src.charAt(pos + 1) == '\n') {
                pos += 2;
            } else if (c == '#') {
                while (pos < end && src.charAt(pos) != '\n') {
                    pos++;
                }
            } else {
                break;
            }
        }
        if (pos >= end) {
            tok = Tok.EOF;
            return;
        }
        char c = src.charAt(pos);
        char n = pos + 1 < end ? src.charAt(pos + 1) : '\0';
        switch (c) {
            case '\n' -> {
                pos++;
                tok = Tok.NEWLINE;
                readHeredocBodies();
            }
            case ';' -> {
                if (n == ';') {
                    pos += (pos + 2 < end && src.charAt(pos + 2) == '&') ? 3 : 2;
                    tok = Tok.DSEMI;
                } else if (n == '&') {
                    pos += 2;
                    tok = Tok.DSEMI;
                } else {
                    pos++;
                    tok = Tok.SEMI;
                }
            }
            case '&' -> {
                if (n == '&') {
                    pos += 2;
                    tok = Tok.AND_IF;
                } else if (n == '>') {
                    boolean append = pos + 2 < end && src.charAt(pos + 2) == '>';
                    pos += append ? 3 : 2;
                    redir(append ? "&>>" : "&>", -1);
                } else {
                    pos++;
                    tok = Tok.AMP;
                }
            }
            case '|' -> {
                if (n == '|') {
                    pos += 2;
                    tok = Tok.OR_IF;
                } else {
                    pos += n == '&' ? 2 : 1;
                    tok = Tok.PIPE;
                }
            }
            case '(' -> {
                if (n == '(') {
                    // `(( expr ))`: arithmetic, data
                    int start = pos;
                    pos += 2;
                    skipArithmetic();
                    tokWord = new Word(src.substring(start, pos), false, -1, true, List.of());
                    tok = Tok.WORD;
                } else {
                    pos++;
                    tok = Tok.LPAREN;
                }
            }
            case ')' -> {
                pos++;
                tok = Tok.RPAREN;
            }
            case '<', '>' -> {
                if (n == '(') {
                    lexWord();
                } else {
                    lexRedirOp(-1);
                }
            }
            default -> {
                if (c >= '0' && c <= '9') {
                    int p = pos;
                    while (p < end && src.charAt(p) >= '0' && src.charAt(p) <= '9') {
                        p++;
                    }
                    if (p < end && (src.charAt(p) == '<' || src.charAt(p) == '>') && p - pos < 4) {
                        int fd = Integer.parseInt(src, pos, p, 10);
                        pos = p;
                        lexRedirOp(fd);
                        return;
                    }
                }
                lexWord();
            }
        }
    }

    private void redir(String op, int fd) {
        tok = Tok.REDIR;
        tokOp = op;
        tokFd = fd;
    }

    private void lexRedirOp(int fd) {
        char c = src.charAt(pos);
        char n = pos + 1 < end ? src.charAt(pos + 1) : '\0';
        char n2 = pos + 2 < end ? src.charAt(pos + 2) : '\0';
        if (c == '>') {
            switch (n) {
                case '>' -> {
                    pos += 2;
                    redir(">>", fd);
                }
                case '|' -> {
                    pos += 2;
                    redir(">|", fd);
                }
                case '&' -> {
                    pos += 2;
                    redir(">&", fd);
                }
                default -> {
                    pos++;
                    redir(">", fd);
                }
            }
        } else {
            if (n == '<') {
                if (n2 == '<') {
                    pos += 3;
                    redir("<<<", fd);
                } else if (n2 == '-') {
                    pos += 3;
                    redir("<<-", fd);
                } else {
                    pos += 2;
                    redir("<<", fd);
                }
            } else if (n == '&') {
                pos += 2;
                redir("<&", fd);
            } else if (n == '>') {
                pos += 2;
                redir("<>", fd);
            } else {
                pos++;
                redir("<", fd);
            }
        }
    }

    private void readHeredocBodies() throws ParseException {
        if (heredocs == null || heredocs.isEmpty()) {
            return;
        }
        for (HeredocPending h : heredocs) {
            int bodyStart = pos;
            int bodyEnd = -1;
            while (true) {
                if (pos >= end) {
                    // bash accepts a heredoc ended by end of input (with a warning); the body is still data
                    break;
                }
                int lineEnd = src.indexOf('\n', pos);
                if (lineEnd < 0) {
                    lineEnd = end;
                }
                int s = pos;
                if (h.stripTabs()) {
                    while (s < lineEnd && src.charAt(s) == '\t') {
                        s++;
                    }
                }
                boolean isDelimiter = (lineEnd - s) == h.delimiter().length()
                        && src.regionMatches(s, h.delimiter(), 0, h.delimiter().length());
                int lineStart = pos;
                pos = lineEnd < end ? lineEnd + 1 : end;
                if (isDelimiter) {
                    bodyEnd = lineStart;
                    break;
                }
            }
            // the body is data for most commands, but a shell reading stdin runs it, so keep it
            String body = src.substring(bodyStart, bodyEnd < 0 ? pos : bodyEnd);
            Redirect r = h.command().redirects.get(h.redirectIndex());
            h.command().redirects.set(h.redirectIndex(), new Redirect(r.op(), r.fd(), r.target(), body));
        }
        heredocs.clear();
    }

    private void skipArithmetic() throws ParseException {
        // positioned after `((` (or `$((`): find the matching `))`
        int parens = 0;
        while (pos < end) {
            char c = src.charAt(pos);
            if (c == '(') {
                parens++;
            } else if (c == ')') {
                if (parens == 0) {
                    if (pos + 1 < end && src.charAt(pos + 1) == ')') {
                        pos += 2;
                        return;
                    }
                    throw new ParseException("unbalanced arithmetic expression");
                }
                parens--;
            }
            pos++;
        }
        throw new ParseException("unterminated arithmetic expression");
    }

    /** Lexer classes of the ASCII characters, one table read per character instead of a chain of comparisons. */
    private static final byte[] CHAR_CLASS = new byte[128];

    private static final byte WORD_END = 1;
    private static final byte WORD_SPECIAL = 2;

    static {
        for (char c : " \t\n\r\f;&|()<>".toCharArray()) {
            CHAR_CLASS[c] = WORD_END;
        }
        for (char c : "\\'\"$`".toCharArray()) {
            CHAR_CLASS[c] = WORD_SPECIAL;
        }
    }

    private static boolean isWordEnd(char c) {
        return c < 128 && CHAR_CLASS[c] == WORD_END;
    }

    static boolean isPlainWordChar(char c) {
        return c >= 128 || CHAR_CLASS[c] == 0;
    }

    /**
     * The cooked text of one word and what is known of it. Most quoted words ({@code 'a b'}, {@code "$f"}) are one
     * stretch of the source: the text stays a (start, end) slice of it, copied once by {@link #build()}, and a
     * {@link StringBuilder} is made only when a second, non-adjacent piece or a cooked character is appended.
     */
    private final class WordBuilder {
        private StringBuilder text;
        private int sliceStart = -1;
        private int sliceEnd;
        boolean quoted;
        int firstQuoted = -1;
        boolean expansion;
        List<SimpleCommand> substituted = List.of();

        /** Appends {@code src[from, to)}. */
        void append(int from, int to) {
            if (text == null) {
                if (sliceStart < 0) {
                    sliceStart = from;
                    sliceEnd = to;
                    return;
                }
                if (from == sliceEnd) {
                    sliceEnd = to;
                    return;
                }
                materialize();
            }
            text.append(src, from, to);
        }

        /** The text as a builder, for cooked characters (escapes, ANSI-C strings). */
        StringBuilder chars() {
            if (text == null) {
                materialize();
            }
            return text;
        }

        private void materialize() {
            text = new StringBuilder(16);
            if (sliceStart >= 0) {
                text.append(src, sliceStart, sliceEnd);
            }
        }

        int length() {
            if (text != null) {
                return text.length();
            }
            return sliceStart < 0 ? 0 : sliceEnd - sliceStart;
        }

        void markQuoted() {
            if (!quoted) {
                quoted = true;
                firstQuoted = length();
            }
        }

        void addSubstituted(int fromSinkIndex) {
            if (fromSinkIndex < sink.size()) {
                if (substituted.isEmpty()) {
                    substituted = new ArrayList<>(2);
                }
                substituted.addAll(sink.subList(fromSinkIndex, sink.size()));
            }
        }

        Word build() {
            String cooked;
            if (text != null) {
                cooked = text.toString();
            } else {
                cooked = sliceStart < 0 ? "" : src.substring(sliceStart, sliceEnd);
            }
            return new Word(cooked, quoted, firstQuoted, expansion, substituted);
        }
    }

    private void lexWord() throws ParseException {
        // the usual word is plain characters only: take it as one substring, without a builder
        if (isPlainWordChar(src.charAt(pos))) {
            // the hash as String.hashCode computes it, for the table of known words
            int hash = src.charAt(pos);
            int p = pos + 1;
            while (p < end && isPlainWordChar(src.charAt(p))) {
                hash = 31 * hash + src.charAt(p);
                p++;
            }
            if (p == end || isWordEnd(src.charAt(p))) {
                tok = Tok.WORD;
                Word known = KnownWords.find(src, pos, p, hash);
                tokWord = known != null ? known : Word.slice(src, pos, p);
                pos = p;
                return;
            }
        }
        WordBuilder wb = new WordBuilder();
        char first = src.charAt(pos);
        if ((first == '<' || first == '>') && pos + 1 < end && src.charAt(pos + 1) == '(') {
            // process substitution: runs a command
            int start = pos;
            pos += 2;
            substitute(wb);
            wb.append(start, pos);
            wb.expansion = true;
        }
        while (pos < end) {
            char c = src.charAt(pos);
            if (isWordEnd(c)) {
                break;
            }
            switch (c) {
                case '\\' -> {
                    if (pos + 1 >= end) {
                        wb.append(pos, pos + 1);
                        pos++;
                    } else if (src.charAt(pos + 1) == '\n') {
                        pos += 2;
                    } else {
                        wb.markQuoted();
                        wb.append(pos + 1, pos + 2);
                        pos += 2;
                    }
                }
                case '\'' -> {
                    int close = src.indexOf('\'', pos + 1);
                    if (close < 0) {
                        throw new ParseException("unterminated single quote");
                    }
                    wb.markQuoted();
                    wb.append(pos + 1, close);
                    pos = close + 1;
                }
                case '"' -> {
                    pos++;
                    wb.markQuoted();
                    doubleQuoted(wb);
                }
                case '$' -> dollar(wb, false);
                case '`' -> backtick(wb);
                default -> {
                    // copy a run of ordinary characters at once
                    int start = pos++;
                    while (pos < end && isPlainWordChar(src.charAt(pos))) {
                        pos++;
                    }
                    wb.append(start, pos);
                }
            }
        }
        tok = Tok.WORD;
        tokWord = wb.build();
    }

    private void doubleQuoted(WordBuilder wb) throws ParseException {
        while (pos < end) {
            char c = src.charAt(pos);
            switch (c) {
                case '"' -> {
                    pos++;
                    return;
                }
                case '\\' -> {
                    char n = pos + 1 < end ? src.charAt(pos + 1) : '\0';
                    if (n == '\n') {
                        pos += 2;
                    } else if (n == '$' || n == '`' || n == '"' || n == '\\') {
                        wb.append(pos + 1, pos + 2);
                        pos += 2;
                    } else {
                        wb.append(pos, pos + 1);
                        pos++;
                    }
                }
                case '$' -> dollar(wb, true);
                case '`' -> backtick(wb);
                default -> {
                    int start = pos++;
                    while (pos < end) {
                        char d = src.charAt(pos);
                        if (d == '"' || d == '\\' || d == '$' || d == '`') {
                            break;
                        }
                        pos++;
                    }
                    wb.append(start, pos);
                }
            }
        }
        throw new ParseException("unterminated double quote");
    }

    private void dollar(WordBuilder wb, boolean inDoubleQuotes) throws ParseException {
        int start = pos;
        char n = pos + 1 < end ? src.charAt(pos + 1) : '\0';
        if (n == '\'' && !inDoubleQuotes) {
            pos += 2;
            wb.markQuoted();
            ansiC(wb);
            return;
        }
        if (n == '"' && !inDoubleQuotes) {
            pos += 2;
            wb.markQuoted();
            doubleQuoted(wb);
            return;
        }
        if (n == '(') {
            if (pos + 2 < end && src.charAt(pos + 2) == '(') {
                pos += 3;
                skipArithmetic();
            } else {
                pos += 2;
                substitute(wb);
            }
            wb.expansion = true;
            wb.append(start, pos);
            return;
        }
        if (n == '{') {
            pos += 2;
            skipBraceExpansion();
            wb.expansion = true;
            wb.append(start, pos);
            return;
        }
        if (isNameStart(n)) {
            pos += 2;
            while (pos < end && isNameChar(src.charAt(pos))) {
                pos++;
            }
            wb.expansion = true;
            wb.append(start, pos);
            return;
        }
        if ((n >= '0' && n <= '9') || "@*#?$!-".indexOf(n) >= 0 && n != '\0') {
            pos += 2;
            wb.expansion = true;
            wb.append(start, pos);
            return;
        }
        wb.append(pos, pos + 1);
        pos++;
    }

    private static boolean isNameStart(char c) {
        return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
    }

    private static boolean isNameChar(char c) {
        return isNameStart(c) || (c >= '0' && c <= '9');
    }

    /** Parses `$( ... )` or `<( ... )` in place: positioned after the opening parenthesis. */
    private void substitute(WordBuilder wb) throws ParseException {
        int from = sink.size();
        enter();
        // heredocs pending outside wait until the substitution is parsed; those it leaves pending come first
        List<HeredocPending> savedHeredocs = heredocs;
        heredocs = null;
        parseList(NONE, true, false);
        if (peek() != Tok.RPAREN) {
            throw new ParseException("unterminated command substitution");
        }
        peeked = false; // consume ')'
        if (savedHeredocs != null && !savedHeredocs.isEmpty()) {
            if (heredocs == null) {
                heredocs = savedHeredocs;
            } else {
                heredocs.addAll(savedHeredocs);
            }
        }
        leave();
        wb.addSubstituted(from);
    }

    private void backtick(WordBuilder wb) throws ParseException {
        int start = pos;
        pos++;
        StringBuilder inner = new StringBuilder();
        while (true) {
            if (pos >= end) {
                throw new ParseException("unterminated backquote");
            }
            char c = src.charAt(pos);
            if (c == '`') {
                pos++;
                break;
            }
            if (c == '\\' && pos + 1 < end) {
                char n = src.charAt(pos + 1);
                if (n == '`' || n == '\\' || n == '$') {
                    inner.append(n);
                    pos += 2;
                    continue;
                }
            }
            inner.append(c);
            pos++;
        }
        int from = sink.size();
        List<SimpleCommand> nested = parse(inner.toString(), depth + 1);
        sink.addAll(nested);
        wb.addSubstituted(from);
        wb.expansion = true;
        wb.append(start, pos);
    }

    private void skipBraceExpansion() throws ParseException {
        int braces = 0;
        while (pos < end) {
            char c = src.charAt(pos);
            if (c == '\\') {
                pos += 2;
                continue;
            }
            if (c == '\'') {
                int close = src.indexOf('\'', pos + 1);
                if (close < 0) {
                    throw new ParseException("unterminated single quote");
                }
                pos = close + 1;
                continue;
            }
            if (c == '{') {
                braces++;
            } else if (c == '}') {
                if (braces == 0) {
                    pos++;
                    return;
                }
                braces--;
            }
            pos++;
        }
        throw new ParseException("unterminated ${");
    }

    private void ansiC(WordBuilder wb) throws ParseException {
        StringBuilder t = wb.chars();
        while (pos < end) {
            char c = src.charAt(pos);
            if (c == '\'') {
                pos++;
                return;
            }
            if (c != '\\' || pos + 1 >= end) {
                t.append(c);
                pos++;
                continue;
            }
            char e = src.charAt(pos + 1);
            pos += 2;
            switch (e) {
                case 'n' -> t.append('\n');
                case 't' -> t.append('\t');
                case 'r' -> t.append('\r');
                case 'a' -> t.append('\u0007');
                case 'b' -> t.append('\b');
                case 'e', 'E' -> t.append('\u001b');
                case 'f' -> t.append('\f');
                case 'v' -> t.append('\u000b');
                case 'x' -> t.appendCodePoint(readNumber(16, 2));
                case 'u' -> t.appendCodePoint(readNumber(16, 4));
                case 'U' -> t.appendCodePoint(Math.min(readNumber(16, 8), Character.MAX_CODE_POINT));
                case 'c' -> {
                    if (pos < end) {
                        t.append((char) (src.charAt(pos) & 0x1f));
                        pos++;
                    }
                }
                default -> {
                    if (e >= '0' && e <= '7') {
                        pos--;
                        t.append((char) (readNumber(8, 3) & 0xff));
                    } else {
                        t.append(e); // \\ \' \" and unknown escapes
                    }
                }
            }
        }
        throw new ParseException("unterminated $'...' string");
    }

    private int readNumber(int radix, int maxDigits) {
        int value = 0;
        int digits = 0;
        while (digits < maxDigits && pos < end) {
            int d = Character.digit(src.charAt(pos), radix);
            if (d < 0) {
                break;
            }
            value = value * radix + d;
            pos++;
            digits++;
        }
        return value;
    }
}
