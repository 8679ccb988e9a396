package dev.familiar.grandpa.core.testing;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/** Headless Chromium (Debian's chromium and chromium-driver) for the tests of the dashboard's pages. */
public final class Browser {
    public static final Path SHOTS = Path.of("target", "screenshots");

    private Browser() {}

    public static WebDriver chromium() {
        var options = new ChromeOptions();
        options.setBinary("/usr/bin/chromium");
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--window-size=1400,1100");
        var logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        var service = new ChromeDriverService.Builder().usingDriverExecutable(Path.of("/usr/bin/chromedriver").toFile()).build();
        return new ChromeDriver(service, options);
    }

    public static void signIn(WebDriver browser, WebDriverWait wait, String url, String token) {
        browser.get(url);
        wait.until(d -> !d.findElements(By.id("token")).isEmpty());
        browser.findElement(By.id("token")).sendKeys(token);
        browser.findElement(By.id("sign-in")).click();
    }

    /** The rows of a table, each as its cells' text, read at once (pages redraw every few seconds). */
    @SuppressWarnings("unchecked")
    public static List<List<String>> rows(WebDriver browser, String table) {
        return (List<List<String>>) ((JavascriptExecutor) browser).executeScript("return [...document.querySelectorAll("
                + "'#" + table + " tbody tr')].map(r => [...r.cells].map(c => c.textContent.trim()))");
    }

    /** Saves what the page shows as {@code target/screenshots/dashboard-<name>.png}. */
    public static void shot(WebDriver browser, String name) throws Exception {
        Files.createDirectories(SHOTS);
        Files.write(SHOTS.resolve("dashboard-" + name + ".png"), ((TakesScreenshot) browser).getScreenshotAs(OutputType.BYTES));
    }

    /** What the page logged to the console as an error. */
    public static List<String> consoleErrors(WebDriver browser) {
        return browser.manage().logs().get(LogType.BROWSER).getAll().stream()
                .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue()).map(Object::toString).toList();
    }
}
