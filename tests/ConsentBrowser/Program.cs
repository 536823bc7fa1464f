using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Microsoft.Playwright;

namespace ConsentBrowser;

/// <summary>
/// Stands in for the user's browser on the emulator's consent page. Invoke-JiraOAuthConsent starts it through the
/// BROWSER environment variable with the consent URL as the last argument.
/// <code>
/// ConsentBrowser [--engine chromium|http] [--user EMAIL --password PASSWORD] [--site CLOUDID] [--action accept|decline|none]
///                [--no-deliver] [--callback QUERY] [--result FILE] [--chromium PATH] URL
/// </code>
/// chromium: headless Debian Chromium driven by Playwright (never downloaded: --chromium or /usr/bin/chromium).
/// http: the same form posts with HttpClient. --action none opens the page and does nothing (a user who walks away).
/// --no-deliver stops at the redirect and records its address instead of loading it. --callback skips the consent
/// page and loads the redirect URI with the given query ({state} is replaced by the request's state). --forged QUERY
/// first loads the redirect URI with that query (a forged callback), records its status as forgedStatus, then goes on.
/// The result file gets {"title","text","redirectAddress","error"}.
/// </summary>
public static class Program
{
    public static async Task<int> Main(string[] args)
    {
        var options = Options.Parse(args);
        var result = new Dictionary<string, string?>();
        try
        {
            if (options.Forged is not null)
            {
                // Someone else on the machine answers the listener first, without the request's state.
                using var forger = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
                var forged = await forger.GetAsync(RedirectPrefix(options.Url) + "?" + options.Forged);
                result["forgedStatus"] = ((int)forged.StatusCode).ToString(System.Globalization.CultureInfo.InvariantCulture);
            }

            if (options.Callback is not null)
            {
                await DeliverAsync(CallbackAddress(options), result);
            }
            else if (options.Engine == "chromium")
            {
                await ChromiumAsync(options, result);
            }
            else
            {
                await HttpAsync(options, result);
            }

            return 0;
        }
        catch (Exception ex)
        {
            result["error"] = ex.GetType().Name + ": " + ex.Message;
            await Console.Error.WriteLineAsync("ConsentBrowser: " + ex.Message);
            return 1;
        }
        finally
        {
            if (options.ResultFile is not null)
            {
                await File.WriteAllTextAsync(options.ResultFile, JsonSerializer.Serialize(result));
            }
        }
    }

    private static async Task ChromiumAsync(Options options, Dictionary<string, string?> result)
    {
        using var playwright = await Playwright.CreateAsync();
        await using var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = options.ChromiumPath,
            Headless = true,
            Args = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking"],
            Timeout = 60_000,
        });
        var page = await browser.NewPageAsync();
        page.SetDefaultTimeout(30_000);
        await page.GotoAsync(options.Url);
        if (options.Action == "none")
        {
            result["title"] = await page.TitleAsync();
            await Task.Delay(TimeSpan.FromSeconds(options.Linger), CancellationToken.None);
            return;
        }

        await page.FillAsync("#username", options.User);
        await page.FillAsync("#password", options.Password);
        await page.ClickAsync("#login-submit");
        await page.WaitForSelectorAsync("#consent-title, #login-error");
        if (await page.QuerySelectorAsync("#login-error") is { } loginError)
        {
            throw new InvalidOperationException("login refused: " + await loginError.InnerTextAsync());
        }

        if (options.Site is not null)
        {
            await page.SelectOptionAsync("#site", options.Site);
        }

        var redirect = RedirectPrefix(options.Url);
        await page.ClickAsync(options.Action == "decline" ? "#decline" : "#accept");
        await page.WaitForURLAsync(url => url.StartsWith(redirect, StringComparison.Ordinal), new PageWaitForURLOptions { WaitUntil = WaitUntilState.Load });
        result["title"] = await page.TitleAsync();
        result["text"] = await page.InnerTextAsync("body");
    }

    private static async Task HttpAsync(Options options, Dictionary<string, string?> result)
    {
        using var http = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false }) { Timeout = TimeSpan.FromSeconds(30) };
        var login = await http.GetAsync(options.Url);
        if (login.StatusCode == HttpStatusCode.Redirect)
        {
            await FinishAsync(login.Headers.Location!.ToString(), options, result);
            return;
        }

        var html = await login.Content.ReadAsStringAsync();
        result["title"] = Regex.Match(html, "<title>(.*?)</title>").Groups[1].Value;
        if (!login.IsSuccessStatusCode || options.Action == "none")
        {
            result["text"] = html;
            if (options.Action == "none")
            {
                await Task.Delay(TimeSpan.FromSeconds(options.Linger), CancellationToken.None);
            }

            return;
        }

        var origin = new Uri(options.Url).GetLeftPart(UriPartial.Authority);
        var tx = Regex.Match(html, "name=\"tx\" value=\"([^\"]+)\"").Groups[1].Value;
        var consent = await (await http.PostAsync(origin + "/login", Form(("tx", tx), ("username", options.User), ("password", options.Password)))).Content.ReadAsStringAsync();
        var error = Regex.Match(consent, "id=\"login-error\"[^>]*>(.*?)<");
        if (error.Success)
        {
            throw new InvalidOperationException("login refused: " + WebUtility.HtmlDecode(error.Groups[1].Value));
        }

        var site = options.Site ?? Regex.Match(consent, "<option value=\"([^\"]+)\"").Groups[1].Value;
        var answer = await http.PostAsync(origin + "/authorize/consent", Form(("tx", tx), ("site", site), ("decision", options.Action == "decline" ? "decline" : "accept")));
        if (answer.StatusCode != HttpStatusCode.Redirect)
        {
            throw new InvalidOperationException($"the consent page answered {(int)answer.StatusCode} instead of a redirect");
        }

        await FinishAsync(answer.Headers.Location!.ToString(), options, result);
    }

    private static async Task FinishAsync(string location, Options options, Dictionary<string, string?> result)
    {
        if (options.NoDeliver)
        {
            result["redirectAddress"] = location;
            return;
        }

        await DeliverAsync(location, result);
    }

    /// <summary>Loads the redirect URI the way the browser would after the consent page's redirect.</summary>
    private static async Task DeliverAsync(string address, Dictionary<string, string?> result)
    {
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };
        var html = await http.GetStringAsync(address);
        result["title"] = Regex.Match(html, "<title>(.*?)</title>").Groups[1].Value;
        result["text"] = html;
    }

    private static string CallbackAddress(Options options)
    {
        var query = ParseQuery(new Uri(options.Url).Query);
        var callback = options.Callback!.Replace("{state}", Uri.EscapeDataString(query.GetValueOrDefault("state") ?? string.Empty), StringComparison.Ordinal);
        return query["redirect_uri"] + (callback.Length > 0 ? "?" + callback : string.Empty);
    }

    private static string RedirectPrefix(string url) => ParseQuery(new Uri(url).Query)["redirect_uri"];

    private static Dictionary<string, string> ParseQuery(string query) =>
        query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(p => p.Split('=', 2))
            .ToDictionary(p => Uri.UnescapeDataString(p[0]), p => p.Length > 1 ? Uri.UnescapeDataString(p[1].Replace('+', ' ')) : string.Empty);

    private static FormUrlEncodedContent Form(params (string Name, string Value)[] fields) =>
        new(fields.Select(f => KeyValuePair.Create(f.Name, f.Value)));

    private sealed record Options(string Engine, string User, string Password, string? Site, string Action, bool NoDeliver,
        string? Callback, string? Forged, string? ResultFile, string ChromiumPath, int Linger, string Url)
    {
        public static Options Parse(string[] args)
        {
            string engine = "http", user = "admin@example.com", password = "Adm1n-Passw0rd!", action = "accept", chromium = "/usr/bin/chromium";
            string? site = null, callback = null, forged = null, resultFile = null, url = null;
            var noDeliver = false;
            var linger = 5;
            for (var i = 0; i < args.Length; i++)
            {
                switch (args[i])
                {
                    case "--engine": engine = args[++i]; break;
                    case "--user": user = args[++i]; break;
                    case "--password": password = args[++i]; break;
                    case "--site": site = args[++i]; break;
                    case "--action": action = args[++i]; break;
                    case "--no-deliver": noDeliver = true; break;
                    case "--callback": callback = args[++i]; break;
                    case "--forged": forged = args[++i]; break;
                    case "--result": resultFile = args[++i]; break;
                    case "--chromium": chromium = args[++i]; break;
                    case "--linger": linger = int.Parse(args[++i], System.Globalization.CultureInfo.InvariantCulture); break;
                    default: url = args[i]; break;
                }
            }

            return new Options(engine, user, password, site, action, noDeliver, callback, forged, resultFile, chromium, linger,
                url ?? throw new ArgumentException("The consent URL is missing."));
        }
    }
}
