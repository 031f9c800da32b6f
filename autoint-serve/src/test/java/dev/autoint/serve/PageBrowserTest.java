package dev.autoint.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;

import dev.autoint.core.model.AutoIntConfig;
import dev.autoint.core.model.AutoIntModel;
import dev.autoint.core.train.Trainer;
import dev.autoint.data.SplitSpec;
import dev.autoint.data.movielens.FeaturePreset;
import dev.autoint.data.movielens.MovieLensData;
import dev.autoint.data.movielens.SyntheticMovieLens;
import dev.autoint.eval.movielens.MovieLensExperiment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.logging.Level;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.logging.LogEntry;
import org.openqa.selenium.logging.LogType;
import org.openqa.selenium.logging.LoggingPreferences;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The page at {@code /} in a real browser: Debian's headless Chromium, driven through Debian's chromedriver
 * (never a downloaded one), against a server over two tiny bundles trained here. Picks a user, moves the α and
 * λ sliders, opens the comparison, evaluation and score tabs, and fails on any error the page shows or the
 * browser logs. Screenshots for a person go to {@code target/screenshots/}.
 *
 * <p>Runs once (skipped in the scalar-kernel run). Without Chromium and chromedriver it is skipped, except
 * under CI ({@code CI=true}), where it fails.
 */
class PageBrowserTest {

    private static final Path CHROMIUM = Path.of("/usr/bin/chromium");
    private static final Path CHROMEDRIVER = Path.of("/usr/bin/chromedriver");
    private static final Duration WAIT = Duration.ofSeconds(8);

    private ChromeDriver driver;
    private final List<String> severe = new ArrayList<>();

    @Test
    @Timeout(120)
    void aPersonPicksAUserMovesTheSlidersAndComparesAndEvaluatesModels(@TempDir Path dir) throws Exception {
        Assumptions.assumeFalse("scalar".equals(System.getProperty("autoint.kernels")),
                "the browser test runs once, in the vector-kernel run");
        requireBrowser();
        Map<String, Path> bundles = trainBundles(dir);
        Path shots = Path.of(System.getProperty("basedir", ".")).resolve("target").resolve("screenshots");
        Files.createDirectories(shots);

        try (AutoIntServer server = AutoIntServer.start(ServeConfig.defaults().withPort(0), bundles)) {
            driver = startBrowser(dir.resolve("chromium-profile"));
            try {
                WebDriverWait wait = new WebDriverWait(driver, WAIT);
                driver.get("http://127.0.0.1:" + server.port() + "/");
                wait.until(d -> "true".equals(d.findElement(By.tagName("body")).getDomAttribute("data-ready")));
                assertNoPageError();
                assertThat(driver.findElements(By.cssSelector("#model option"))).extracting(WebElement::getText)
                        .containsExactly("autoint-plus (movielens)", "lr (movielens)");

                // a user from the picker's suggestions, other than the one shown first
                String first = driver.findElement(By.id("user-input")).getDomProperty("value");
                List<String> suggested = new ArrayList<>();
                for (WebElement o : driver.findElements(By.cssSelector("#user-list option"))) suggested.add(o.getDomAttribute("value"));
                assertThat(suggested).hasSizeGreaterThan(2).contains(first);
                String user = suggested.get(2);
                WebElement userInput = driver.findElement(By.id("user-input"));
                userInput.clear();
                userInput.sendKeys(user, Keys.ENTER);
                wait.until(d -> user.equals(d.findElement(By.id("profile")).getDomAttribute("data-user")));
                waitForList(wait, "recommendations", "user=" + user + "&");
                assertThat(driver.findElements(By.cssSelector("#history tbody tr"))).isNotEmpty();
                List<Item> plain = items("recommendations");
                assertThat(plain).hasSize(10);
                assertThat(plain).allSatisfy(i -> assertThat(i.adjusted).isEqualTo(i.score)); // α = 0: nothing added
                assertThat(driver.findElements(By.cssSelector("#recommendations li.item .reasons li"))).isNotEmpty();
                assertNoPageError();

                // α up by 10 steps of 0.01 with the keyboard: newer items gain, the adjusted scores change
                WebElement alpha = driver.findElement(By.id("alpha"));
                for (int i = 0; i < 10; i++) alpha.sendKeys(Keys.ARROW_RIGHT);
                assertThat(driver.findElement(By.id("alpha-value")).getText()).isEqualTo("0.10");
                waitForList(wait, "recommendations", "alpha=0.10");
                List<Item> recent = items("recommendations");
                assertThat(recent).anySatisfy(i -> assertThat(i.adjusted).isGreaterThan(i.score));
                assertThat(adjustedByKey(recent)).isNotEqualTo(adjustedByKey(plain));
                assertNoPageError();
                screenshot(shots.resolve("recommend-alpha.png"));

                // λ up by 6 steps of 0.05: the list is re-ranked for diversity, the order changes
                WebElement lambda = driver.findElement(By.id("lambda"));
                for (int i = 0; i < 6; i++) lambda.sendKeys(Keys.ARROW_RIGHT);
                assertThat(driver.findElement(By.id("lambda-value")).getText()).isEqualTo("0.30");
                waitForList(wait, "recommendations", "lambda=0.30");
                List<Item> diverse = items("recommendations");
                assertThat(keys(diverse)).isNotEqualTo(keys(recent));
                assertNoPageError();
                screenshot(shots.resolve("recommend-lambda.png"));

                // comparison: the same request for both models, side by side
                driver.findElement(By.id("tab-compare")).click();
                wait.until(d -> "ready".equals(d.findElement(By.id("compare")).getDomAttribute("data-state")));
                assertThat(driver.findElement(By.id("panel-compare")).isDisplayed()).isTrue();
                assertThat(driver.findElement(By.id("compare-a-heading")).getText()).isEqualTo("autoint-plus");
                assertThat(driver.findElement(By.id("compare-b-heading")).getText()).isEqualTo("lr");
                assertThat(driver.findElement(By.id("compare")).getDomAttribute("data-params")).contains("user=" + user + "&")
                        .contains("lambda=0.30");
                assertThat(items("compare-a")).hasSize(10);
                assertThat(items("compare-b")).hasSize(10);
                assertThat(driver.findElement(By.id("compare-overlap")).getText()).contains("in both lists");
                assertNoPageError();
                screenshot(shots.resolve("compare.png"));

                // evaluation: the aggregate table, one histogram per per-user metric, the stored report
                driver.findElement(By.id("tab-eval")).click();
                wait.until(d -> "ready".equals(d.findElement(By.id("eval")).getDomAttribute("data-state")));
                assertThat(driver.findElements(By.cssSelector("#eval-metrics tbody tr"))).extracting(e -> e.getDomAttribute("data-metric"))
                        .contains("auc", "ndcg@10", "precision@10", "recall@10");
                List<WebElement> charts = driver.findElements(By.cssSelector("#eval-charts svg.histogram"));
                assertThat(charts).extracting(e -> e.getDomAttribute("data-metric"))
                        .containsExactly("auc", "precision@10", "recall@10", "ndcg@10");
                Map<String, Integer> usersPerChart = new LinkedHashMap<>();
                for (WebElement chart : charts) {
                    int users = 0;
                    for (WebElement bar : chart.findElements(By.cssSelector("rect.bar"))) {
                        users += Integer.parseInt(bar.getDomAttribute("data-count"));
                    }
                    assertThat(users).as("users in the histogram of %s", chart.getDomAttribute("data-metric")).isPositive();
                    assertThat(chart.getRect().getHeight()).isPositive();
                    usersPerChart.put(chart.getDomAttribute("data-metric"), users);
                }
                // per-user AUC covers the users gAUC averages; the ranking metrics the users of their own n
                assertThat(usersPerChart.get("auc")).isEqualTo(metricCount("gauc"));
                assertThat(usersPerChart.get("ndcg@10")).isEqualTo(metricCount("ndcg@10"));
                assertThat(driver.findElements(By.cssSelector("#eval-stored [data-file='metrics.json'] tbody tr"))).hasSize(1);
                assertNoPageError();
                screenshot(shots.resolve("eval.png"));
                driver.executeScript("arguments[0].scrollIntoView()", driver.findElement(By.id("eval-charts")));
                screenshot(shots.resolve("eval-charts.png"));

                // score: the prefilled example rows (the user's latest rated items) get probabilities
                driver.findElement(By.id("tab-score")).click();
                driver.findElement(By.id("score-run")).click();
                wait.until(ExpectedConditions.numberOfElementsToBeMoreThan(By.cssSelector("#score-results tbody tr"), 0));
                for (WebElement p : driver.findElements(By.cssSelector("#score-results tbody td:last-child"))) {
                    assertThat(Double.parseDouble(p.getText())).isBetween(0.0, 1.0);
                }
                assertNoPageError();

                // back on the list, the other model: the same user's list from it
                driver.findElement(By.id("tab-recommend")).click();
                waitForList(wait, "recommendations", "lambda=0.30");
                new Select(driver.findElement(By.id("model"))).selectByValue("lr");
                waitForList(wait, "recommendations", "model=lr&");
                assertThat(driver.findElement(By.id("recommendations")).getDomAttribute("data-params")).contains("user=" + user + "&");
                assertThat(items("recommendations")).hasSize(10);
                assertNoPageError();

                // a user the model does not know: the API's error is shown, not swallowed
                userInput = driver.findElement(By.id("user-input"));
                userInput.clear();
                userInput.sendKeys("no-such-user", Keys.ENTER);
                WebElement error = driver.findElement(By.id("error"));
                wait.until(ExpectedConditions.visibilityOf(error));
                assertThat(error.getText()).contains("no user 'no-such-user'").contains("404");
                assertThat(driver.findElement(By.id("profile")).getDomAttribute("data-user")).isEqualTo(user); // still shown
                assertThat(driver.findElement(By.id("recommendations")).getDomAttribute("data-params")).contains("user=" + user + "&");
                screenshot(shots.resolve("error.png"));
                driver.findElement(By.id("error-close")).click();
                assertThat(error.isDisplayed()).isFalse();
                collectConsole();
                severe.removeIf(s -> s.contains("404")); // the browser logs the refused request itself
                assertNoPageError();
            } finally {
                driver.quit();
            }
        }
    }

    // ------------------------------------------------------------------ set-up

    private static void requireBrowser() {
        if (Files.isExecutable(CHROMIUM) && Files.isExecutable(CHROMEDRIVER)) return;
        String message = "the browser test needs Debian's Chromium and chromedriver at " + CHROMIUM + " and " + CHROMEDRIVER
                + " (apt-get install chromium chromium-driver)";
        if ("true".equals(System.getenv("CI"))) fail(message);
        Assumptions.abort(message);
    }

    /** Two small bundles of the same synthetic data: AutoInt+ (the default) and logistic regression. */
    private static Map<String, Path> trainBundles(Path dir) throws IOException {
        MovieLensData data = SyntheticMovieLens.builder().users(100).movies(80).ratingsPerUser(30).seed(11).generate();
        MovieLensExperiment x = MovieLensExperiment.prepare(data, FeaturePreset.SEEDS,
                SplitSpec.globalTemporal(0.8, 0.1));
        Map<String, Path> bundles = new LinkedHashMap<>();
        Map<String, AutoIntConfig> configs = new LinkedHashMap<>();
        configs.put("autoint-plus", AutoIntConfig.seedsAutoIntPlus().withSeed(3));
        configs.put("lr", AutoIntConfig.deepCtr().withLayers(0).withLinearTerm(true).withSeed(3));
        for (Map.Entry<String, AutoIntConfig> c : configs.entrySet()) {
            AutoIntModel model = AutoIntModel.create(c.getValue(), x.encoder().fieldSpecs());
            Trainer.builder(model).epochs(1).batchSize(256).learningRate(3e-3f).seed(5).build().fit(x.train(), x.valid());
            Path b = dir.resolve(c.getKey());
            x.bundle(model).file("metrics.json", f -> Files.writeString(f,
                    "{\"protocol\": {\"name\": \"held-out-reranking\", \"k\": 10},"
                            + " \"metrics\": {\"auc\": {\"value\": 0.61, \"ciLow\": 0.58, \"ciHigh\": 0.64, \"n\": 480}}}")).write(b);
            bundles.put(c.getKey(), b);
        }
        return bundles;
    }

    private static ChromeDriver startBrowser(Path profile) throws IOException {
        Files.createDirectories(profile);
        java.util.logging.Logger.getLogger("org.openqa.selenium").setLevel(Level.SEVERE); // no CDP-version chatter
        System.setProperty(ChromeDriverService.CHROME_DRIVER_EXE_PROPERTY, CHROMEDRIVER.toString());
        ChromeOptions options = new ChromeOptions();
        options.setBinary(CHROMIUM.toFile());
        options.addArguments("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run",
                "--hide-scrollbars", "--window-size=1280,900", "--user-data-dir=" + profile);
        LoggingPreferences logs = new LoggingPreferences();
        logs.enable(LogType.BROWSER, Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(CHROMEDRIVER.toFile()).usingAnyFreePort().build();
        return new ChromeDriver(service, options);
    }

    // ------------------------------------------------------------------ reading the page

    private record Item(String key, double score, double adjusted) {}

    private List<Item> items(String listId) {
        List<Item> out = new ArrayList<>();
        for (WebElement li : driver.findElements(By.cssSelector("#" + listId + " > li.item"))) {
            out.add(new Item(li.getDomAttribute("data-key"), Double.parseDouble(li.getDomAttribute("data-score")),
                    Double.parseDouble(li.getDomAttribute("data-adjusted"))));
        }
        return out;
    }

    /** The n column of a row of the evaluation's aggregate table. */
    private int metricCount(String metric) {
        return Integer.parseInt(driver.findElement(By.cssSelector("#eval-metrics tr[data-metric='" + metric + "'] td:last-child")).getText());
    }

    private static List<String> keys(List<Item> items) {
        return items.stream().map(Item::key).toList();
    }

    private static Map<String, Double> adjustedByKey(List<Item> items) {
        Map<String, Double> m = new LinkedHashMap<>();
        for (Item i : items) m.put(i.key, i.adjusted);
        return m;
    }

    /** Waits until the list shows the answer to a request whose query string contains {@code param}. */
    private static void waitForList(WebDriverWait wait, String id, String param) {
        wait.until(d -> {
            WebElement list = d.findElement(By.id(id));
            String params = list.getDomAttribute("data-params");
            return "ready".equals(list.getDomAttribute("data-state")) && params != null && (params + "&").contains(param);
        });
    }

    /** Fails when the page shows an error or the browser logged a SEVERE entry (a script error, a failed request). */
    private void assertNoPageError() {
        WebElement error = driver.findElement(By.id("error"));
        assertThat(error.isDisplayed() ? error.getText() : "").as("the page's #error element").isEmpty();
        assertThat(error.getDomProperty("textContent")).as("the page's #error element").isEmpty();
        collectConsole();
        assertThat(severe).as("SEVERE entries in the browser console").isEmpty();
    }

    /** Moves the browser console's SEVERE entries since the last call into {@link #severe}. */
    private void collectConsole() {
        for (LogEntry e : driver.manage().logs().get(LogType.BROWSER)) {
            if (e.getLevel().intValue() >= Level.SEVERE.intValue()) severe.add(e.getMessage());
        }
    }

    private void screenshot(Path file) throws IOException {
        driver.executeScript("document.activeElement && document.activeElement.blur()"); // no focus ring in the picture
        Files.deleteIfExists(file); // a new file, readable by whoever looks at it
        Files.write(file, driver.getScreenshotAs(OutputType.BYTES));
    }
}
