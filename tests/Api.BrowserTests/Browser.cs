using System.Drawing;
using OpenQA.Selenium;
using OpenQA.Selenium.Chrome;
using Xunit.Abstractions;

namespace BackpropService.Api.BrowserTests;

/// <summary>One headless Chromium with a fresh profile, driven by Debian's chromedriver, plus polling helpers.</summary>
public sealed class Browser : IDisposable
{
    private readonly string _profile = Directory.CreateTempSubdirectory("backprop-chromium-").FullName;
    private readonly ITestOutputHelper _output;

    public Browser(Uri baseAddress, ITestOutputHelper output)
    {
        if (BrowserEnvironment.MissingReason is { } reason)
            throw new InvalidOperationException(reason);
        _output = output;
        BaseAddress = baseAddress;
        var service = ChromeDriverService.CreateDefaultService(Path.GetDirectoryName(BrowserEnvironment.DriverPath)!, Path.GetFileName(BrowserEnvironment.DriverPath));
        service.SuppressInitialDiagnosticInformation = true;
        service.HideCommandPromptWindow = true;
        var options = new ChromeOptions { BinaryLocation = BrowserEnvironment.ChromiumPath };
        // NOTE: without the background-networking flags Chromium keeps trying to reach the internet (ECOSYSTEM.md).
        options.AddArguments("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
            "--disable-background-networking", "--disable-component-update", "--disable-sync", "--disable-dev-shm-usage",
            "--hide-scrollbars", "--force-device-scale-factor=1", "--window-size=1440,1600", $"--user-data-dir={_profile}");
        Driver = new ChromeDriver(service, options, TimeSpan.FromSeconds(60));
    }

    public ChromeDriver Driver { get; }

    public Uri BaseAddress { get; }

    /// <summary>Opens the page (optionally at a fragment such as "#job=ID") and waits for its first load to finish.</summary>
    public void Open(string fragment = "")
    {
        Driver.Navigate().GoToUrl(new Uri(BaseAddress, "/" + fragment));
        WaitForReady();
    }

    public void WaitForReady() =>
        Until(() => Driver.FindElement(By.TagName("body")).GetDomAttribute("data-ready") == "true" ? true : (bool?)null,
              TimeSpan.FromSeconds(30), "the page to finish loading (body[data-ready])");

    public IWebElement Find(string css) => Driver.FindElement(By.CssSelector(css));

    public string? Attribute(string css, string name) => Find(css).GetDomAttribute(name);

    public T? Script<T>(string script, params object[] args) => (T?)Driver.ExecuteScript(script, args);

    /// <summary>Replaces a field's value the way a user's paste would, firing its input and change events.</summary>
    public void SetValue(string css, string value) =>
        Driver.ExecuteScript(
            "const el = document.querySelector(arguments[0]); el.value = arguments[1];" +
            "el.dispatchEvent(new Event('input', {bubbles: true})); el.dispatchEvent(new Event('change', {bubbles: true}));",
            css, value);

    /// <summary>Polls until <paramref name="probe"/> returns non-null; element churn (stale or missing) counts as "not yet".</summary>
    public T Until<T>(Func<T?> probe, TimeSpan timeout, string what)
    {
        var deadline = DateTime.UtcNow + timeout;
        Exception? last = null;
        while (true)
        {
            try
            {
                if (probe() is { } value)
                    return value;
            }
            catch (Exception e) when (e is StaleElementReferenceException or NoSuchElementException or FormatException)
            {
                last = e;
            }
            if (DateTime.UtcNow > deadline)
            {
                var shot = SaveScreenshot($"timeout-{DateTime.UtcNow:HHmmss}");
                throw new TimeoutException($"Timed out after {timeout.TotalSeconds} s waiting for {what}. Screenshot: {shot}", last);
            }
            Thread.Sleep(50);
        }
    }

    /// <summary>Resizes the window to the whole page and saves a PNG into the test output folder.</summary>
    public string SaveScreenshot(string name, bool fullPage = false)
    {
        if (fullPage)
            FitWindowToPage(1440);
        var path = ScreenshotPath(name);
        Driver.GetScreenshot().SaveAsFile(path);
        _output.WriteLine($"screenshot: {path}");
        return path;
    }

    /// <summary>
    /// The whole page laid out <paramref name="width"/> CSS pixels wide, rendered at <paramref name="scale"/> device
    /// pixels per CSS pixel (Chromium draws the text at that size, so it stays sharp), saved as a PNG in the test output.
    /// </summary>
    public string SaveScaledPage(string name, int width, double scale)
    {
        var (pageWidth, pageHeight) = FitWindowToPage(width);
        var shot = Driver.ExecuteCdpCommand("Page.captureScreenshot", new Dictionary<string, object?>
        {
            ["format"] = "png",
            ["captureBeyondViewport"] = false,
            ["clip"] = new Dictionary<string, object> { ["x"] = 0, ["y"] = 0, ["width"] = pageWidth, ["height"] = pageHeight, ["scale"] = scale },
        }) as IDictionary<string, object> ?? throw new InvalidOperationException("Page.captureScreenshot returned nothing.");
        var path = ScreenshotPath(name);
        File.WriteAllBytes(path, Convert.FromBase64String((string)shot["data"]));
        _output.WriteLine($"screenshot: {path}");
        return path;
    }

    /// <summary>Sizes the window so its viewport holds the whole page; returns the page's size in CSS pixels.</summary>
    private (int Width, int Height) FitWindowToPage(int width)
    {
        // The window includes a little chrome even when headless: size it so the viewport holds the whole page.
        for (var attempt = 0; attempt < 3; attempt++)
        {
            var metrics = (IReadOnlyCollection<object>)Driver.ExecuteScript(
                "return [document.documentElement.scrollHeight, window.outerHeight - window.innerHeight, window.innerHeight, window.innerWidth]")!;
            var (page, chrome, viewport, viewportWidth) = (Int(metrics.ElementAt(0)), Int(metrics.ElementAt(1)), Int(metrics.ElementAt(2)), Int(metrics.ElementAt(3)));
            if (viewport >= page && viewportWidth == width)
                return (width, page);
            Driver.Manage().Window.Size = new Size(width, Math.Min(page + chrome, 8000));
            Thread.Sleep(400); // let the chart and the graphs re-layout to the new size
        }
        var final = (IReadOnlyCollection<object>)Driver.ExecuteScript("return [window.innerWidth, document.documentElement.scrollHeight]")!;
        return (Int(final.ElementAt(0)), Int(final.ElementAt(1)));
    }

    private static string ScreenshotPath(string name)
    {
        var directory = Path.Combine(AppContext.BaseDirectory, "screenshots");
        Directory.CreateDirectory(directory);
        return Path.Combine(directory, name + ".png");
    }

    private static int Int(object value) => Convert.ToInt32(value, System.Globalization.CultureInfo.InvariantCulture);

    public void Dispose()
    {
        try
        {
            foreach (var entry in Driver.Manage().Logs.GetLog(LogType.Browser))
                _output.WriteLine($"browser console: {entry.Level} {entry.Message}");
        }
        catch (WebDriverException)
        {
            // Not every driver build exposes the console log; it is only a debugging aid.
        }
        Driver.Quit();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // Chromium may still be writing its profile as it exits; a temp folder left behind is harmless.
        }
    }
}
