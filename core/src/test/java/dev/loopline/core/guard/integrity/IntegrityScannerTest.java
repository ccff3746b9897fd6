package dev.loopline.core.guard.integrity;

import static dev.loopline.core.guard.integrity.Diffs.add;
import static dev.loopline.core.guard.integrity.Diffs.delete;
import static dev.loopline.core.guard.integrity.Diffs.modify;
import static dev.loopline.core.guard.integrity.Diffs.rename;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class IntegrityScannerTest {

    private final IntegrityScanner scanner = new IntegrityScanner();

    static Stream<Arguments> mustCatch() {
        String jt = "src/test/java/a/FooTest.java";
        return Stream.of(
                // removed tests
                Arguments.of(
                        "junit5 @Test removed",
                        modify(jt, " }", "-    @Test", "-    void addsTwo() {", "-    }"),
                        "test-removed"),
                Arguments.of(
                        "junit3 testX removed", modify(jt, "-    public void testAdds() {", "-    }"), "test-removed"),
                Arguments.of(
                        "testng test removed",
                        modify(jt, "-  @Test(groups = \"x\")", "-  public void a() {}"),
                        "test-removed"),
                Arguments.of(
                        "kotlin @Test fun removed",
                        modify("src/test/kotlin/A.kt", "-    @Test fun works() {}"),
                        "test-removed"),
                Arguments.of(
                        "pytest def removed",
                        modify("tests/test_api.py", "-def test_login():", "-    pass"),
                        "test-removed"),
                Arguments.of("pytest class removed", modify("tests/test_api.py", "-class TestLogin:"), "test-removed"),
                Arguments.of(
                        "go test removed",
                        modify("pkg/x_test.go", "-func TestParse(t *testing.T) {", "-}"),
                        "test-removed"),
                Arguments.of(
                        "rust #[test] removed in src",
                        modify("src/lib.rs", "-    #[test]", "-    fn parses() {}"),
                        "test-removed"),
                Arguments.of(
                        "jest it removed", modify("web/a.test.ts", "-  it('adds', () => {", "-  });"), "test-removed"),
                Arguments.of(
                        "mocha describe removed", modify("test/a.js", "-describe('x', () => {});"), "test-removed"),
                Arguments.of(
                        "test file deleted",
                        delete("src/test/java/a/BarTest.java", "class BarTest {}"),
                        "test-file-deleted"),
                Arguments.of("go test file deleted", delete("x_test.go", "package x"), "test-file-deleted"),
                Arguments.of(
                        "test renamed away",
                        rename("tests/test_api.py", "scratch/api_notes.py"),
                        "test-file-renamed-away"),
                // skip markers
                Arguments.of("@Disabled", modify(jt, "+    @Disabled", "     @Test"), "test-skipped"),
                Arguments.of("@Ignore", modify(jt, "+    @Ignore(\"flaky\")", "     @Test"), "test-skipped"),
                Arguments.of("@org.junit.Ignore", modify(jt, "+    @org.junit.Ignore", "     @Test"), "test-skipped"),
                Arguments.of(
                        "testng enabled=false",
                        modify(jt, "-    @Test", "+    @Test(enabled = false)"),
                        "test-skipped"),
                Arguments.of(
                        "pytest skip",
                        modify("tests/test_a.py", "+@pytest.mark.skip(reason='x')", " def test_a():"),
                        "test-skipped"),
                Arguments.of(
                        "pytest skipif",
                        modify("tests/test_a.py", "+@pytest.mark.skipif(True, reason='x')"),
                        "test-skipped"),
                Arguments.of("pytest xfail", modify("tests/test_a.py", "+@pytest.mark.xfail"), "test-skipped"),
                Arguments.of(
                        "unittest skip", modify("tests/test_a.py", "+    @unittest.skip('later')"), "test-skipped"),
                Arguments.of(
                        "go t.Skip",
                        modify("a_test.go", " func TestA(t *testing.T) {", "+\tt.Skip(\"later\")"),
                        "test-skipped"),
                Arguments.of("rust ignore", modify("src/lib.rs", "+    #[ignore]", "     #[test]"), "test-skipped"),
                Arguments.of(
                        "jest it.skip",
                        modify("a.spec.ts", "-  it('x', () => {", "+  it.skip('x', () => {"),
                        "test-skipped"),
                Arguments.of("jasmine xit", modify("a.spec.js", "-  it('x', f);", "+  xit('x', f);"), "test-skipped"),
                Arguments.of(
                        "kotest xtest",
                        modify("src/test/kotlin/ASpec.kt", "-  test(\"x\") {", "+  xtest(\"x\") {"),
                        "test-skipped"),
                Arguments.of(
                        "kotest bang",
                        modify("src/test/kotlin/ASpec.kt", "-  test(\"x\") {", "+  test(\"!x\") {"),
                        "test-skipped"),
                Arguments.of("jest only", modify("a.test.js", "-  it('x', f);", "+  it.only('x', f);"), "test-focused"),
                // assertions
                Arguments.of(
                        "assertEquals removed",
                        modify(jt, "     int r = add(1, 2);", "-    assertEquals(3, r);", "   }"),
                        "assertion-removed"),
                Arguments.of(
                        "fluent continuation removed",
                        modify(jt, "     assertThat(r)", "-        .isEqualTo(3)", "         .isPositive();"),
                        "assertion-removed"),
                Arguments.of(
                        "python assert removed", modify("tests/test_a.py", "-    assert r == 3"), "assertion-removed"),
                Arguments.of("jest expect removed", modify("a.test.ts", "-  expect(r).toBe(3);"), "assertion-removed"),
                Arguments.of(
                        "go t.Errorf removed",
                        modify("a_test.go", "-\t\tt.Errorf(\"got %d\", r)"),
                        "assertion-removed"),
                Arguments.of(
                        "commented out",
                        modify(jt, "-    assertEquals(a, b);", "+    // assertEquals(a, b);"),
                        "assertion-commented-out"),
                Arguments.of(
                        "python commented",
                        modify("tests/test_a.py", "-    assert r == 3", "+    # assert r == 3"),
                        "assertion-commented-out"),
                Arguments.of(
                        "isEqualTo -> isNotNull",
                        modify(jt, "-    assertThat(r).isEqualTo(3);", "+    assertThat(r).isNotNull();"),
                        "assertion-weakened"),
                Arguments.of(
                        "assertEquals -> assertNotNull",
                        modify(jt, "-    assertEquals(3, r);", "+    assertNotNull(r);"),
                        "assertion-weakened"),
                Arguments.of(
                        "toBe -> toBeDefined",
                        modify("a.test.ts", "-  expect(r).toBe(3);", "+  expect(r).toBeDefined();"),
                        "assertion-weakened"),
                Arguments.of(
                        "toEqual -> toBeTruthy",
                        modify("a.test.ts", "-  expect(r).toEqual([1]);", "+  expect(r).toBeTruthy();"),
                        "assertion-weakened"),
                Arguments.of(
                        "assert x == y -> assert x",
                        modify("tests/test_a.py", "-    assert r == 3", "+    assert r"),
                        "assertion-weakened"),
                Arguments.of(
                        "chain isEqualTo -> isNotEmpty",
                        modify(
                                jt,
                                "     assertThat(list)",
                                "-        .isEqualTo(List.of(1));",
                                "+        .isNotEmpty();"),
                        "assertion-weakened"),
                Arguments.of(
                        "assertTrue(true) replacement",
                        modify(jt, "-    assertEquals(3, r);", "+    assertTrue(true);"),
                        "assertion-trivial"),
                Arguments.of(
                        "expect(true).toBe(true)",
                        modify("a.test.js", "-  expect(r).toBe(3);", "+  expect(true).toBe(true);"),
                        "assertion-trivial"),
                // assumptions
                Arguments.of(
                        "assumeTrue(false)",
                        modify(jt, "     void a() {", "+        assumeTrue(false);"),
                        "assumption-skip"),
                Arguments.of(
                        "Assumptions.assume",
                        modify(jt, "+        Assumptions.assumeTrue(System.getenv(\"CI\") == null);"),
                        "assumption-skip"),
                Arguments.of(
                        "Assume.assumeThat", modify(jt, "+        Assume.assumeThat(x, is(1));"), "assumption-skip"),
                Arguments.of(
                        "module-level pytest.skip",
                        modify("tests/test_a.py", " import pytest", "+pytest.skip('off', allow_module_level=True)"),
                        "assumption-skip"),
                Arguments.of(
                        "if (true) return",
                        modify(jt, "     void a() {", "+        if (true) return;"),
                        "early-return"),
                Arguments.of(
                        "return first in test",
                        modify(
                                jt,
                                "     @Test",
                                "     void a() {",
                                "+        return;",
                                "         assertEquals(1, f());"),
                        "early-return"),
                Arguments.of(
                        "python return first",
                        modify("tests/test_a.py", " def test_a():", "+    return", "     assert f() == 1"),
                        "early-return"),
                // build configuration
                Arguments.of(
                        "maven skipTests", modify("pom.xml", "+    <skipTests>true</skipTests>"), "build-skips-tests"),
                Arguments.of(
                        "maven.test.skip property",
                        modify("pom.xml", "+    <maven.test.skip>true</maven.test.skip>"),
                        "build-skips-tests"),
                Arguments.of(
                        "surefire skip",
                        modify(
                                "pom.xml",
                                "     <artifactId>maven-surefire-plugin</artifactId>",
                                "     <configuration>",
                                "+      <skip>true</skip>"),
                        "build-skips-tests"),
                Arguments.of(
                        "testFailureIgnore",
                        modify("pom.xml", "+  <testFailureIgnore>true</testFailureIgnore>"),
                        "build-skips-tests"),
                Arguments.of(
                        "surefire excludes",
                        modify("core/pom.xml", "     <excludes>", "+      <exclude>**/*IT.java</exclude>"),
                        "build-skips-tests"),
                Arguments.of(
                        "-DskipTests in script",
                        modify("scripts/build.sh", "-mvn verify", "+mvn verify -DskipTests"),
                        "build-skips-tests"),
                Arguments.of(
                        "gradle test disabled", modify("build.gradle", "+test.enabled = false"), "build-skips-tests"),
                Arguments.of(
                        "gradle kts",
                        modify("build.gradle.kts", " tasks.test {", "+    enabled = false"),
                        "build-skips-tests"),
                Arguments.of(
                        "gradle exclude",
                        modify("build.gradle", " test {", "+    exclude '**/*Test*'"),
                        "build-skips-tests"),
                Arguments.of(
                        "gradle ignoreFailures",
                        modify("build.gradle", "+    ignoreFailures = true"),
                        "build-skips-tests"),
                Arguments.of("-x test", modify("scripts/ci.sh", "+./gradlew build -x test"), "build-skips-tests"),
                Arguments.of(
                        "pytest addopts -k not",
                        modify("pytest.ini", " [pytest]", "+addopts = -k \"not slow\""),
                        "build-skips-tests"),
                Arguments.of(
                        "pytest --ignore",
                        modify("pyproject.toml", "+addopts = \"--ignore=tests/test_api.py\""),
                        "build-skips-tests"),
                Arguments.of(
                        "conftest collect_ignore",
                        modify("tests/conftest.py", "+collect_ignore = [\"test_api.py\"]"),
                        "build-skips-tests"),
                Arguments.of(
                        "jest ignore",
                        modify("jest.config.js", "+  testPathIgnorePatterns: ['/api/'],"),
                        "build-skips-tests"),
                Arguments.of(
                        "passWithNoTests",
                        modify(
                                "package.json",
                                "-    \"test\": \"jest\",",
                                "+    \"test\": \"jest --passWithNoTests\","),
                        "build-skips-tests"),
                Arguments.of(
                        "npm test echo",
                        modify("package.json", "-    \"test\": \"jest\",", "+    \"test\": \"echo ok\","),
                        "build-skips-tests"),
                Arguments.of(
                        "npm test || true",
                        modify("package.json", "-    \"test\": \"jest\",", "+    \"test\": \"jest || true\","),
                        "build-skips-tests"),
                Arguments.of("cargo test=false", modify("Cargo.toml", " [lib]", "+test = false"), "build-skips-tests"),
                Arguments.of("tox ignore_outcome", modify("tox.ini", "+ignore_outcome = true"), "build-skips-tests"),
                Arguments.of(
                        "makefile neutered",
                        modify("Makefile", " test:", "-\tpytest", "+\t@true"),
                        "build-skips-tests"),
                // CI
                Arguments.of(
                        "gha continue-on-error",
                        modify(
                                ".github/workflows/ci.yml",
                                "       - run: mvn verify",
                                "+        continue-on-error: true"),
                        "ci-failure-ignored"),
                Arguments.of(
                        "gha || true",
                        modify(".github/workflows/ci.yml", "-      - run: npm test", "+      - run: npm test || true"),
                        "ci-failure-ignored"),
                Arguments.of(
                        "gha if false",
                        modify(".github/workflows/ci.yml", "   test:", "+    if: false"),
                        "ci-failure-ignored"),
                Arguments.of(
                        "gha step removed",
                        modify(".github/workflows/ci.yml", "       - run: npm ci", "-      - run: npm test"),
                        "ci-test-step-removed"),
                Arguments.of(
                        "gitlab allow_failure",
                        modify(".gitlab-ci.yml", " test:", "+  allow_failure: true"),
                        "ci-failure-ignored"),
                Arguments.of(
                        "gitlab manual", modify(".gitlab-ci.yml", " test:", "+  when: manual"), "ci-failure-ignored"),
                Arguments.of(
                        "jenkins catchError",
                        modify(
                                "Jenkinsfile",
                                "-        sh 'mvn test'",
                                "+        catchError(buildResult: 'SUCCESS') { sh 'mvn test' }"),
                        "ci-failure-ignored"),
                Arguments.of(
                        "jenkins returnStatus",
                        modify("Jenkinsfile", "+        sh script: 'make test', returnStatus: true"),
                        "ci-failure-ignored"),
                Arguments.of(
                        "azure continueOnError",
                        modify("azure-pipelines.yml", "+  continueOnError: true"),
                        "ci-failure-ignored"),
                Arguments.of(
                        "circleci || true",
                        modify(".circleci/config.yml", "+      - run: pytest || true"),
                        "ci-failure-ignored"),
                Arguments.of(
                        "travis allow_failures", modify(".travis.yml", "+  allow_failures:"), "ci-failure-ignored"),
                Arguments.of(
                        "any CI edit",
                        modify(".github/workflows/ci.yml", "-  node: 18", "+  node: 20"),
                        "ci-config-changed"),
                // evaluation fixtures
                Arguments.of(
                        "golden edit",
                        modify("src/test/resources/golden/out.txt", "-42", "+41"),
                        "eval-fixture-changed"),
                Arguments.of(
                        "jest snapshot",
                        modify("web/__snapshots__/a.test.ts.snap", "-a", "+b"),
                        "eval-fixture-changed"),
                Arguments.of("go testdata", modify("pkg/testdata/expected.json", "-1", "+2"), "eval-fixture-changed"),
                Arguments.of("approved file", modify("tests/Report.approved.txt", "-1", "+2"), "eval-fixture-changed"),
                Arguments.of("eval dir", modify("eval/cases.jsonl", "-1", "+2"), "eval-fixture-changed"),
                Arguments.of(
                        "fixtures/expected", delete("tests/fixtures/expected/a.json", "{}"), "eval-fixture-changed"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("mustCatch")
    void catches(String name, String diff, String rule) {
        assertThat(scanner.scan(diff)).extracting(Finding::ruleId).contains(rule);
    }

    static Stream<Arguments> lookAlikes() {
        String jt = "src/test/java/a/FooTest.java";
        return Stream.of(
                Arguments.of(
                        "new test file",
                        add(jt, "class FooTest {", "  @Test", "  void a() { assertEquals(1, f()); }", "}")),
                Arguments.of(
                        "new test method",
                        modify(
                                jt,
                                "+    @Test",
                                "+    void b() {",
                                "+        assertThat(f()).isEqualTo(2);",
                                "+    }",
                                " }")),
                Arguments.of(
                        "production assertValid",
                        modify(
                                "src/main/java/a/Validator.java",
                                "-        assertValid(x);",
                                "+        check(x);",
                                "-    void test(String s) {",
                                "+    void probe(String s) {")),
                Arguments.of(
                        "production test( call in js",
                        modify("src/lib/router.js", "-  if (re.test(path)) {", "+  if (re.exec(path)) {")),
                Arguments.of("production Stream.skip", modify("src/main/java/a/Pager.java", "+    return s.skip(10);")),
                Arguments.of("JsonIgnore is not Ignore", modify("src/test/java/a/DtoTest.java", "+    @JsonIgnore")),
                Arguments.of(
                        "path contains ci: circle",
                        modify("src/circle/Circle.java", "-  continue-on-error: true", "+  x || true")),
                Arguments.of(
                        "docs ci notes",
                        modify("docs/ci-notes.md", "+Use `continue-on-error: true` with care; never -DskipTests.")),
                Arguments.of(
                        "rename test to test", rename("src/test/java/a/FooTest.java", "src/test/java/b/FooTest.java")),
                Arguments.of(
                        "move assertion in hunk",
                        modify(jt, "-    assertEquals(1, a);", "     int b = 2;", "+    assertEquals(1, a);")),
                Arguments.of(
                        "reformatted chain",
                        modify(
                                jt,
                                "-    assertThat(r).isEqualTo(3);",
                                "+    assertThat(r)",
                                "+            .isEqualTo(3);")),
                Arguments.of("rust assert in production", modify("src/main.rs", "-    assert!(x > 0);")),
                Arguments.of(
                        "production code mentions Test",
                        modify("src/main/java/a/TestResult.java", "-    @Test", "-    void x() {}")),
                Arguments.of(
                        "latest dir is not test", modify("latest/contest.py", "-def test_x():", "-    assert x == 1")),
                Arguments.of("skipTests=false", modify("scripts/build.sh", "+mvn verify -DskipTests=false")),
                Arguments.of("added golden for new test", add("src/test/resources/golden/new.txt", "42")),
                Arguments.of(
                        "gradle exclude dependency",
                        modify(
                                "build.gradle",
                                " dependencies {",
                                "+    implementation('x:y:1') { exclude group: 'z' }")));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("lookAlikes")
    void doesNotFlagLookAlikes(String name, String diff) {
        assertThat(scanner.scan(diff)).isEmpty();
    }

    @Test
    void unparseableDiffIsASingleHighFindingNeverClean() {
        List<Finding> findings = scanner.scan("diff --git a/x b/x\n--- a/x\n+++ b/x\n@@ -1,5 +1,5 @@\n-a\n");
        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.ruleId()).isEqualTo("unparseable-diff");
            assertThat(f.severity()).isEqualTo(Severity.HIGH);
            assertThat(f.line()).isEqualTo(6);
        });
        assertThat(IntegrityScanner.isClean(findings, Severity.LOW)).isFalse();
    }

    @Test
    void reportsLineNumbersAndEvidence() {
        List<Finding> findings = scanner.scan(modify("src/test/java/a/FooTest.java", "     @Test", "+    @Disabled"));
        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.file()).isEqualTo("src/test/java/a/FooTest.java");
            assertThat(f.line()).isEqualTo(11);
            assertThat(f.evidence()).isEqualTo("@Disabled");
            assertThat(f.severity()).isEqualTo(Severity.HIGH);
        });
    }

    @Test
    void removedLineUsesOldLineNumber() {
        List<Finding> findings =
                scanner.scan(modify("tests/test_a.py", " def test_a():", "-    assert f() == 1", "+    pass"));
        assertThat(findings).singleElement().satisfies(f -> {
            assertThat(f.ruleId()).isEqualTo("assertion-removed");
            assertThat(f.line()).isEqualTo(11);
        });
    }

    @Test
    void plusPlusContentIsNotMistakenForAFileHeader() {
        // Strive read "+++ b/..." content as a new file and lost the test file context.
        String diff = modify("src/test/java/a/FooTest.java", "+++ b/README.md", "-    assertEquals(1, f());");
        assertThat(scanner.scan(diff))
                .extracting(Finding::ruleId, Finding::file)
                .contains(org.assertj.core.groups.Tuple.tuple("assertion-removed", "src/test/java/a/FooTest.java"));
    }

    @Test
    void evidenceIsClippedTo120Characters() {
        String longLine = "    assertEquals(" + "x".repeat(300) + ", r);";
        List<Finding> findings = scanner.scan(modify("src/test/java/a/FooTest.java", "-" + longLine));
        assertThat(findings).singleElement().satisfies(f -> assertThat(f.evidence())
                .hasSizeLessThanOrEqualTo(120));
    }
}
