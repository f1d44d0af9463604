package io.chorus.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import java.util.function.Function;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * A headless Chromium for the console's tests: the machine's {@code chromium} and its matching
 * {@code chromedriver} (Debian packages), named explicitly so Selenium never looks for or
 * downloads a driver; {@code --no-sandbox} because CI runs as root.
 */
final class Browser implements AutoCloseable {
  static final Path CHROMIUM = Path.of("/usr/bin/chromium");
  static final Path DRIVER = Path.of("/usr/bin/chromedriver");
  /** Where screenshots go: under target/, a few copied into docs/ by hand. */
  static final Path SCREENSHOTS = Path.of("target", "console-screenshots");

  final ChromeDriver driver;

  /** A browser whose preferred language is {@code language}, e.g. {@code en} or {@code zh-CN}. */
  Browser(String language) {
    if (!Files.isExecutable(CHROMIUM) || !Files.isExecutable(DRIVER)) {
      throw new IllegalStateException("the console's browser tests need " + CHROMIUM + " and "
          + DRIVER + ": apt-get install chromium chromium-driver fonts-wqy-zenhei");
    }
    ChromeOptions options = new ChromeOptions().setBinary(CHROMIUM.toFile())
        .addArguments("--headless=new", "--no-sandbox", "--disable-gpu",
            "--disable-dev-shm-usage", "--window-size=1400,1000", "--lang=" + language);
    options.setExperimentalOption("prefs", Map.of("intl.accept_languages", language));
    // The page's console messages (errors, refused loads, CSP violations) for errors().
    LoggingPreferences logs = new LoggingPreferences();
    logs.enable(LogType.BROWSER, Level.ALL);
    options.setCapability("goog:loggingPrefs", logs);
    ChromeDriverService service = new ChromeDriverService.Builder()
        .usingDriverExecutable(DRIVER.toFile()).usingAnyFreePort().build();
    this.driver = new ChromeDriver(service, options);
  }

  void open(String url) {
    driver.get(url);
  }

  /** Waits up to {@code seconds} for {@code condition} to give a non-null, non-false value. */
  <T> T await(int seconds, Function<WebDriver, T> condition) {
    return new WebDriverWait(driver, Duration.ofSeconds(seconds))
        .pollingEvery(Duration.ofMillis(100)).ignoring(RuntimeException.class).until(condition);
  }

  /** The element with this id once it is shown. */
  WebElement element(String id) {
    return await(15, d -> {
      WebElement e = d.findElement(By.id(id));
      return e.isDisplayed() ? e : null;
    });
  }

  /** The text of the element with this id, read again if the page redraws it meanwhile. */
  String text(String id) {
    return await(15, d -> d.findElement(By.id(id)).getText());
  }

  /** The text of the element with this id once it contains {@code expected}. */
  String awaitText(String id, String expected) {
    return await(15, d -> {
      String text = d.findElement(By.id(id)).getText();
      return text.contains(expected) ? text : null;
    });
  }

  /** The page's data-page attribute once it is {@code page}. */
  void awaitPage(String page) {
    await(15, d -> page.equals(d.findElement(By.id("view")).getDomAttribute("data-page")));
  }

  /** The page's error messages since the last call: script errors, failed loads, CSP. */
  List<String> errors() {
    return driver.manage().logs().get(LogType.BROWSER).getAll().stream()
        .filter(e -> e.getLevel().intValue() >= Level.SEVERE.intValue())
        .map(LogEntry::getMessage).toList();
  }

  Object script(String js, Object... args) {
    return driver.executeScript(js, args);
  }

  /** Saves the window to target/console-screenshots/NAME.png and returns the file. */
  Path screenshot(String name) {
    try {
      Files.createDirectories(SCREENSHOTS);
      Path file = SCREENSHOTS.resolve(name + ".png");
      Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
      return file;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  @Override
  public void close() {
    driver.quit();
  }
}
