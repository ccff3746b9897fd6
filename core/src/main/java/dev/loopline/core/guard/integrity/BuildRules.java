package dev.loopline.core.guard.integrity;

/** Added lines in build configuration that skip, filter or forgive tests. */
final class BuildRules {

    private BuildRules() {}

    /**
     * @param t trimmed line
     * @param cl the line without whitespace, lower-cased
     * @param prev previous non-blank new-side line of the hunk, or null
     * @param hunkLower the whole hunk, lower-cased, for context such as the enclosing plugin
     * @param existing whether the file existed before the change (a changed pattern may narrow what runs)
     */
    static Severity check(PathKind.Build build, String t, String cl, String prev, String hunkLower, boolean existing) {
        return switch (build) {
            case MAVEN -> maven(cl, hunkLower);
            case GRADLE -> gradle(cl, hunkLower);
            case PYTEST -> pytest(t, cl);
            case TOX -> cl.contains("ignore_outcome=true") || cl.contains("ignore_errors=true") || cl.contains("||true")
                    ? Severity.HIGH
                    : pytest(t, cl);
            case NOX -> cl.contains("session.skip(") || cl.contains("||true")
                    ? Severity.HIGH
                    : cl.contains("success_codes") ? Severity.MEDIUM : null;
            case JS -> js(cl, hunkLower, existing);
            case PACKAGE_JSON -> packageJson(cl);
            case CARGO -> cargo(cl);
            case MAKE -> make(cl, prev, hunkLower);
            case NONE -> null;
        };
    }

    private static Severity maven(String cl, String hunkLower) {
        if (cl.contains("<skiptests>true")
                || cl.contains("<maven.test.skip>true")
                || cl.contains("<testfailureignore>true")
                || cl.contains("<maven.test.failure.ignore>true")
                || cl.contains("<skipits>true")
                || cl.contains("<skipexec>true")
                || cl.contains("<skiptests>${")) {
            return Severity.HIGH;
        }
        if (cl.contains("<skip>true</skip>")) {
            return hunkLower.contains("surefire") || hunkLower.contains("failsafe") ? Severity.HIGH : Severity.MEDIUM;
        }
        if (cl.startsWith("<exclude>") && (cl.contains("test") || cl.contains("it.java") || cl.contains("*it"))) {
            return Severity.HIGH;
        }
        boolean testPlugin = hunkLower.contains("surefire") || hunkLower.contains("failsafe");
        if (cl.startsWith("<exclude>") && testPlugin && !hunkLower.contains("jacoco")) {
            return Severity.HIGH; // any exclusion inside the test plugins drops the tests it matches
        }
        if (cl.startsWith("<testexclude>")
                || cl.startsWith("<excludesfile>")
                || cl.startsWith("<testfailureignore>${")
                || cl.contains("<failifnotests>false")) {
            return cl.contains("<failifnotests>") ? Severity.MEDIUM : Severity.HIGH;
        }
        if (cl.startsWith("<test>")
                || cl.startsWith("<excludedgroups>")
                || cl.startsWith("<groups>")
                || cl.startsWith("<rerunfailingtestscount>")
                || cl.startsWith("<testsourcedirectory>")
                || cl.contains("<enableassertions>false")) {
            return Severity.MEDIUM;
        }
        if (cl.startsWith("<include>") && testPlugin) {
            return Severity.LOW;
        }
        return null;
    }

    private static Severity gradle(String cl, String hunkLower) {
        if (cl.contains("enabled=false") && (cl.contains("test") || hunkLower.contains("test"))) {
            return Severity.HIGH;
        }
        if (cl.contains("ignorefailures=true")
                || cl.contains("onlyif{false}")
                || cl.contains("ignorefailures.set(true)")) {
            return Severity.HIGH;
        }
        if (cl.contains("exclude") && cl.contains("*") && cl.contains("test")) {
            return Severity.HIGH;
        }
        if (cl.contains("excludetestsmatching")) {
            return Severity.HIGH;
        }
        boolean testBlock = hunkLower.contains("test {")
                || hunkLower.contains("test{")
                || hunkLower.contains("tasks.test")
                || hunkLower.contains("withtype<test>")
                || hunkLower.contains("withtype(test)")
                || hunkLower.contains("named('test')")
                || hunkLower.contains("named(\"test\")")
                || hunkLower.contains("named<test>");
        if (testBlock && (cl.startsWith("exclude'") || cl.startsWith("exclude\"") || cl.startsWith("exclude("))) {
            return Severity.HIGH;
        }
        if (cl.contains("includetestsmatching")
                || cl.contains("excludetags")
                || cl.contains("excludecategories")
                || cl.contains("excludegroups")
                || cl.contains("failonnomatchingtests=false")
                || cl.contains("failonnomatchingtests.set(false)")
                || (testBlock && cl.contains("srcdirs"))) {
            return Severity.MEDIUM;
        }
        if (cl.contains("failonnodiscoveredtests=false") || cl.contains("failonnodiscoveredtests.set(false)")) {
            return Severity.MEDIUM;
        }
        return null;
    }

    private static Severity pytest(String t, String cl) {
        String lower = t.toLowerCase(java.util.Locale.ROOT);
        if (lower.contains("--ignore")
                || lower.contains("-p no:")
                || lower.contains("--deselect")
                || (lower.contains("-k") && lower.contains("not "))
                || lower.contains("--continue-on-collection-errors")
                || cl.contains("collect_ignore")
                || cl.contains("pythonoptimize")) {
            return Severity.HIGH;
        }
        if ((lower.contains("-m ") || lower.contains("-m=")) && lower.contains("not ")) {
            return Severity.MEDIUM;
        }
        if (cl.contains("pytest_collection_modifyitems") || cl.contains("pytest_ignore_collect")) {
            return Severity.MEDIUM;
        }
        if (cl.startsWith("norecursedirs")
                || cl.startsWith("python_files")
                || cl.startsWith("python_functions")
                || cl.startsWith("python_classes")) {
            int eq = Math.max(cl.indexOf('='), cl.indexOf(':'));
            String value = eq < 0 ? "" : cl.substring(eq + 1);
            boolean testy = value.contains("test") || value.contains("spec");
            return testy && cl.startsWith("norecursedirs") ? Severity.MEDIUM : Severity.LOW;
        }
        if (cl.startsWith("testpaths")) {
            return Severity.LOW;
        }
        return null;
    }

    private static Severity js(String cl, String hunkLower, boolean existing) {
        if (cl.contains("testpathignorepatterns") || cl.contains("passwithnotests")) {
            return Severity.HIGH;
        }
        if (cl.contains("modulepathignorepatterns") || cl.startsWith("exclude:") || cl.startsWith("\"exclude\":")) {
            boolean coverageOnly = hunkLower.contains("coverage") && !hunkLower.contains("test:");
            if (coverageOnly) {
                return null; // coverage exclusions are the coverage rule's
            }
            return cl.contains("test") || cl.contains("spec") ? Severity.HIGH : Severity.MEDIUM;
        }
        if (cl.startsWith("testmatch")
                || cl.startsWith("\"testmatch\"")
                || cl.startsWith("testregex")
                || cl.startsWith("roots:")
                || cl.startsWith("include:")
                || cl.startsWith("spec:")
                || cl.startsWith("\"spec\":")) {
            // changing the pattern of an existing config can narrow what runs; a new config only sets one
            return existing ? Severity.MEDIUM : Severity.LOW;
        }
        if (cl.contains("forbidonly:false") || cl.contains("\"forbid-only\":false")) {
            return Severity.MEDIUM;
        }
        return null;
    }

    private static Severity packageJson(String cl) {
        if (cl.contains("passwithnotests") || cl.contains("testpathignorepatterns")) {
            return Severity.HIGH;
        }
        if (cl.contains("modulepathignorepatterns")) {
            return Severity.MEDIUM;
        }
        if (cl.startsWith("\"test\":")) {
            String value = cl.substring("\"test\":".length());
            if (value.contains("echo")
                    || value.contains("exit0")
                    || value.contains("||true")
                    || value.startsWith("\"true\"")
                    || value.startsWith("\"\"")
                    || value.startsWith("\":\"")) {
                return Severity.HIGH;
            }
        }
        return null;
    }

    private static Severity cargo(String cl) {
        if (cl.startsWith("test=false")) {
            return Severity.HIGH;
        }
        if (cl.startsWith("doctest=false")) {
            return Severity.LOW;
        }
        return null;
    }

    private static Severity make(String cl, String prev, String hunkLower) {
        if (prev != null) {
            String p = prev.toLowerCase(java.util.Locale.ROOT);
            if (p.startsWith("test:")
                    || p.startsWith("check:")
                    || p.startsWith("tests:")
                    || p.startsWith("test-all:")) {
                if (cl.equals("true")
                        || cl.equals("@true")
                        || cl.equals(":")
                        || cl.equals("@:")
                        || cl.startsWith("exit0")
                        || cl.startsWith("@exit0")
                        || cl.startsWith("echo")
                        || cl.startsWith("@echo")) {
                    return Severity.HIGH;
                }
            }
        }
        if ((cl.contains("||true") || cl.contains("||exit0") || cl.contains("||:")) && hunkLower.contains("test")) {
            return Severity.MEDIUM;
        }
        return null;
    }
}
