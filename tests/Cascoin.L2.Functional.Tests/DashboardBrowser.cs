using PuppeteerSharp;
using Cascoin.L2.TestKit;

namespace Cascoin.L2.Functional.Tests;

/// <summary>
/// Debian's chromium, headless, driven by PuppeteerSharp, on a node's dashboard. Screenshots go to
/// <c>screenshots/</c> in the test output directory. Tests skip, saying why, when chromium is missing
/// (contrib/install-deps.sh installs it; CI runs that first).
/// </summary>
internal sealed class DashboardBrowser : IAsyncDisposable
{
    public const string Chromium = "/usr/bin/chromium";

    public const string Missing = "chromium is not installed (run contrib/install-deps.sh as root to install Debian's chromium)";

    private readonly IBrowser _browser;
    private readonly string _profile;

    private DashboardBrowser(IBrowser browser, string profile)
    {
        _browser = browser;
        _profile = profile;
    }

    public static string ScreenshotDirectory { get; } = Path.Combine(AppContext.BaseDirectory, "screenshots");

    public static async Task<DashboardBrowser> LaunchAsync()
    {
        var profile = Directory.CreateTempSubdirectory("cascoin-chromium-").FullName;
        // The flags keep chromium off the network it does not need (this machine's is closed) and out of a sandbox CI's root cannot use.
        var browser = await Puppeteer.LaunchAsync(new LaunchOptions
        {
            ExecutablePath = Chromium,
            Headless = true,
            UserDataDir = profile,
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        return new DashboardBrowser(browser, profile);
    }

    /// <summary>A new page signed in with the node's cookie (null: no credentials), at <paramref name="path"/>; returns it and the HTTP status.</summary>
    public async Task<(IPage Page, int Status)> OpenAsync(TestNode node, string path, bool credentials = true)
    {
        var page = await _browser.NewPageAsync();
        await page.SetViewportAsync(new ViewPortOptions { Width = 1280, Height = 900 });
        if (credentials)
        {
            var cookie = node.Cookie.Split(':', 2);
            await page.AuthenticateAsync(new Credentials { Username = cookie[0], Password = cookie[1] });
        }
        try
        {
            var response = await page.GoToAsync($"http://127.0.0.1:{node.RpcPort}{path}");
            return (page, (int)response.Status);
        }
        catch (NavigationException ex) when (ex.Message.Contains("ERR_INVALID_AUTH_CREDENTIALS", StringComparison.Ordinal))
        {
            // Headless chromium answers a 401 challenge it has no credentials for with this error, and shows nothing.
            return (page, 401);
        }
    }

    public static async Task ScreenshotAsync(IPage page, string name)
    {
        Directory.CreateDirectory(ScreenshotDirectory);
        await page.ScreenshotAsync(Path.Combine(ScreenshotDirectory, name + ".png"), new ScreenshotOptions { FullPage = true });
    }

    /// <summary>Waits until <paramref name="script"/> (a JavaScript expression) is truthy on the page, and returns its value as text.</summary>
    public static async Task<string> UntilAsync(IPage page, string script, string what, int seconds = 30)
    {
        try
        {
            var handle = await page.WaitForFunctionAsync($"() => {script}", new WaitForFunctionOptions { Timeout = seconds * 1000, PollingInterval = 100 });
            return (await handle.JsonValueAsync<object>())?.ToString() ?? "";
        }
        catch (WaitTaskTimeoutException)
        {
            throw new TimeoutException($"not within {seconds} s: {what}");
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.CloseAsync();
        await _browser.DisposeAsync();
        try
        {
            Directory.Delete(_profile, recursive: true);
        }
        catch (IOException)
        {
            // chromium's last writes may still be landing; the temporary directory goes with the machine.
        }
    }
}
