package dev.loopline.local;

import static org.assertj.core.api.Assertions.assertThat;

import com.microsoft.playwright.Browser;
import com.microsoft.playwright.BrowserContext;
import com.microsoft.playwright.BrowserType;
import com.microsoft.playwright.Locator;
import com.microsoft.playwright.Page;
import com.microsoft.playwright.Playwright;
import com.microsoft.playwright.PlaywrightException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Debian's Chromium driven by Playwright against the running dashboard: one browser per test, a fresh context (no
 * cookies) per user. Screenshots go to {@code target/dashboard/} for review.
 */
final class DashboardBrowser implements AutoCloseable {

    static final Path SCREENSHOTS = Path.of("target", "dashboard");

    private final Playwright playwright;
    private final Browser browser;
    private final String url;

    DashboardBrowser(String dashboardUrl) {
        Path chromium = Path.of(System.getenv().getOrDefault("LOOPLINE_CHROMIUM", "/usr/bin/chromium"));
        assertThat(chromium)
                .as("Chromium for the browser test (./loopline test installs it)")
                .isExecutable();
        this.url = dashboardUrl;
        this.playwright = Playwright.create();
        this.browser = playwright
                .chromium()
                .launch(new BrowserType.LaunchOptions()
                        .setExecutablePath(chromium)
                        .setHeadless(true)
                        .setArgs(List.of(
                                "--no-sandbox",
                                "--disable-gpu",
                                "--disable-quic",
                                "--no-first-run",
                                "--disable-background-networking",
                                "--disable-component-update",
                                "--disable-sync")));
    }

    /** A new browser context (its own cookie jar) at 1280 × 900, on the sign-in form. */
    Page open() {
        BrowserContext context = browser.newContext(new Browser.NewContextOptions().setViewportSize(1280, 900));
        Page page = context.newPage();
        page.setDefaultTimeout(30_000);
        page.navigate(url + "/");
        page.locator("form#sign-in").waitFor();
        return page;
    }

    /** Signs in on the form with {@code token}; returns once the views are shown. */
    Page signIn(String token) {
        Page page = open();
        page.locator("#token").fill(token);
        page.locator("form#sign-in button[type=submit]").click();
        awaitSignedIn(page);
        return page;
    }

    /**
     * Follows the sign-in form's link to the identity provider (which signs the user in at once) and back; returns
     * once the views are shown. {@code navigations} receives the URL of every page the tab navigates to, redirects
     * included.
     */
    Page signInAtIdentityProvider(List<String> navigations) {
        Page page = open();
        page.onRequest(request -> {
            if (request.isNavigationRequest()) {
                navigations.add(request.url());
            }
        });
        page.locator("#sso a").click();
        awaitSignedIn(page);
        return page;
    }

    /** Waits for the signed-in views; a sign-in that failed fails with the reason the page shows. */
    private static void awaitSignedIn(Page page) {
        try {
            page.locator("#who:not([hidden]) #user:has-text('·')").waitFor();
        } catch (PlaywrightException e) {
            Locator error = page.locator("#sign-in-error");
            throw new AssertionError(
                    "not signed in at " + page.url() + (error.count() == 0 ? "" : ": " + error.innerText()), e);
        }
        assertThat(page.locator("form#sign-in").count())
                .as("the sign-in form is gone")
                .isZero();
    }

    /** Goes to a view by its navigation link, as a keyboard user would (focus, Enter). */
    static void go(Page page, String view) {
        page.locator("nav a[data-view='" + view + "']").focus();
        page.keyboard().press("Enter");
        page.locator("nav a[data-view='" + view + "'][aria-current='page']").waitFor();
    }

    /** Saves a full-page screenshot at 1280 px and one at a phone's 390 px. */
    static void screenshot(Page page, String name) {
        try {
            Files.createDirectories(SCREENSHOTS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        page.screenshot(new Page.ScreenshotOptions()
                .setPath(SCREENSHOTS.resolve(name + ".png"))
                .setFullPage(true));
        page.setViewportSize(390, 844);
        page.screenshot(new Page.ScreenshotOptions()
                .setPath(SCREENSHOTS.resolve(name + "-390.png"))
                .setFullPage(true));
        Object overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth");
        page.setViewportSize(1280, 900);
        assertThat(((Number) overflow).intValue())
                .as("%s at 390 px wide scrolls sideways only inside its tables", name)
                .isLessThanOrEqualTo(0);
    }

    @Override
    public void close() {
        browser.close();
        playwright.close();
    }
}
