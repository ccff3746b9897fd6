package dev.loopline.core.guard.command;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Deletion and the worktree boundary: {@code rm} operands, {@code find} search roots, and the paths that
 * {@code xargs} and {@code find -exec} feed to the command they run. The worktree is the working directory;
 * absolute paths, {@code ~}, {@code $HOME}, {@code ..} and unresolved expansions lie outside it.
 */
final class DeletionRules {
    private DeletionRules() {}

    /**
     * Where the operands of a command run by {@code xargs} or {@code find -exec} come from.
     *
     * @param local whether every path it can receive lies inside the worktree
     * @param placeholder the word replaced by the input ({@code {}}), or null
     * @param appends whether the input is appended as extra operands (xargs without {@code -I})
     */
    record Feed(boolean local, String placeholder, boolean appends) {}

    static Feed xargsFeed(List<Word> w, int xargs, int command, SimpleCommand origin) {
        String placeholder = null;
        for (int j = xargs + 1; j < command; j++) {
            String a = w.get(j).text();
            if (a.equals("-I") && j + 1 < command) {
                placeholder = w.get(j + 1).text();
            } else if (a.startsWith("-I") && a.length() > 2) {
                placeholder = a.substring(2);
            } else if (a.startsWith("--replace")) {
                placeholder = a.indexOf('=') > 0 ? a.substring(a.indexOf('=') + 1) : "{}";
            } else if (a.equals("-i")) {
                placeholder = "{}";
            }
        }
        return new Feed(producesLocalPaths(origin), placeholder == null ? "{}" : placeholder, placeholder == null);
    }

    /** What a fed path stands for in the analysis: the file system root when the search may leave the worktree. */
    private static String representative(Feed feed) {
        return feed.local() ? "feed.item" : "/";
    }

    /**
     * The words of the command that {@code xargs} or {@code find -exec} runs, with the input paths made visible:
     * the placeholder ({@code {}}) replaced, or for plain xargs one path appended. Rules then judge the paths
     * as they judge literal ones, also inside {@code sh -c '…{}…'}.
     */
    static List<Word> fedWords(List<Word> w, int from, Feed feed) {
        String path = representative(feed);
        List<Word> out = new ArrayList<>(w.size() + 1);
        for (int j = 0; j < w.size(); j++) {
            Word word = w.get(j);
            String t = word.text();
            if (j >= from
                    && feed.placeholder() != null
                    && !feed.placeholder().isEmpty()
                    && t.contains(feed.placeholder())) {
                out.add(new Word(
                        t.replace(feed.placeholder(), path),
                        word.quoted(),
                        word.firstQuoted(),
                        word.expansion(),
                        word.substituted()));
            } else {
                out.add(word);
            }
        }
        if (feed.appends()) {
            out.add(Word.literal(path));
        }
        return out;
    }

    /** True when the stage before {@code origin} lists only paths inside the worktree (find ., git ls-files). */
    private static boolean producesLocalPaths(SimpleCommand origin) {
        if (origin == null || !origin.inMultiPipeline()) {
            return false;
        }
        SimpleCommand parsed = origin.parsed();
        List<SimpleCommand> p = parsed.pipeline;
        int at = -1;
        for (int j = 0; j < p.size(); j++) {
            if (p.get(j) == parsed) {
                at = j;
            }
        }
        if (at <= 0) {
            return false;
        }
        SimpleCommand prev = p.get(at - 1);
        int k = prev.unwrapped();
        if (k >= prev.words.size()) {
            return false;
        }
        List<Word> w = prev.words;
        String name = CommandAnalyzer.commandName(w.get(k));
        switch (name) {
            case "find" -> {
                return findFeedsLocal(w, k);
            }
            case "git" -> {
                String sub = k + 1 < w.size() ? w.get(k + 1).text() : "";
                return sub.equals("ls-files") || sub.equals("diff") || sub.equals("status");
            }
            case "grep", "rg", "egrep" -> {
                for (int j = k + 1; j < w.size(); j++) {
                    if (Paths.isOutsideWorktree(w.get(j).text())) {
                        return false;
                    }
                }
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    /**
     * {@code rm} is blocked when it deletes recursively outside the worktree (absolute paths, {@code ~},
     * {@code $HOME}, {@code ..}, unresolved expansions), the worktree as a whole ({@code .}, {@code *}) or its
     * {@code .git}, or paths fed by {@code xargs}/{@code find -exec} from a search that is not project-local.
     * Project clean-ups such as {@code rm -rf node_modules dist} run.
     */
    /** The block for this {@code rm} (before policy exceptions), or null. */
    static Decision.Block checkRm(List<Word> w, int i) {
        boolean recursive = false;
        boolean options = true;
        String wide = null;
        String outside = null;
        for (int j = i + 1; j < w.size(); j++) {
            String a = w.get(j).text();
            if (options && a.equals("--")) {
                options = false;
            } else if (options && a.startsWith("--")) {
                recursive |= a.equals("--recursive");
                if (a.equals("--no-preserve-root")) {
                    wide = "/";
                }
            } else if (options && a.startsWith("-") && a.length() > 1) {
                recursive |= a.indexOf('r') > 0 || a.indexOf('R') > 0;
            } else if (wide == null && Paths.isWide(a)) {
                wide = a;
            } else if (outside == null && (Paths.isOutsideWorktree(a) || Paths.isGitDir(a))) {
                outside = a;
            }
        }
        if (recursive && wide != null) {
            return CommandRule.RECURSIVE_DELETE.block("recursive rm", CommandAnalyzer.join(w, i));
        }
        if (recursive && outside != null) {
            return CommandRule.RECURSIVE_DELETE.block(
                    "recursive rm outside the worktree: " + outside, CommandAnalyzer.join(w, i));
        }
        if (wide != null) {
            return CommandRule.RECURSIVE_DELETE.block("rm of " + wide, CommandAnalyzer.join(w, i));
        }
        return null;
    }

    /** The search roots of {@code find} (the operands before the first expression); {@code .} when none. */
    static int findExpressionStart(List<Word> w, int i) {
        int j = i + 1;
        while (j < w.size()) {
            String a = w.get(j).text();
            if (a.equals("-H") || a.equals("-L") || a.equals("-P") || a.startsWith("-O")) {
                j++;
            } else if (a.equals("-D")) {
                j += 2;
            } else {
                break;
            }
        }
        return j;
    }

    static boolean findRootsLocal(List<Word> w, int i) {
        for (int j = findExpressionStart(w, i); j < w.size(); j++) {
            String a = w.get(j).text();
            if (a.startsWith("-") || a.equals("(") || a.equals("!") || a.equals(",")) {
                break;
            }
            if (Paths.isOutsideWorktree(a)) {
                return false;
            }
        }
        return true;
    }

    /** True when find lists only paths inside the worktree, and not the whole tree ({@code find .} alone). */
    static boolean findFeedsLocal(List<Word> w, int i) {
        if (!findRootsLocal(w, i)) {
            return false;
        }
        int expr = findExpressionStart(w, i);
        boolean wholeTree = true;
        for (int j = expr; j < w.size(); j++) {
            String a = w.get(j).text();
            if (a.startsWith("-") || a.equals("(") || a.equals("!")) {
                if (!FIND_NON_FILTERS.contains(a)) {
                    return true; // filtered
                }
                continue;
            }
            if (j == expr || !w.get(j - 1).text().startsWith("-")) {
                wholeTree &= Paths.isWide(a) || Paths.isGitDir(a);
            }
        }
        return !wholeTree;
    }

    static final Set<String> FIND_NON_FILTERS = Set.of(
            "-depth",
            "-d",
            "-print",
            "-print0",
            "-xdev",
            "-mount",
            "-follow",
            "-maxdepth",
            "-mindepth",
            "-delete",
            "-ignore_readdir_race",
            "-noleaf",
            "-daystart");
}
