using System.Diagnostics;
using System.Globalization;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Security.Authentication;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace AtlassianEmulator;

/// <summary>
/// The Jira Automation stand-in: rules "WHEN issue created / transitioned THEN Send web request" (and, for rules of the
/// rule API, field value changed and SLA threshold breached), executed
/// asynchronously after the REST call that triggered them, the way Jira Data Center queues them: about 5 s to
/// connect, 20 s to answer, success = any 2xx, no retry, no redirects. On Data Center the URL must pass the
/// allowlist. Each execution lands in the audit log.
/// </summary>
public sealed class AutomationCenter
{
    public const int AuditCapacity = 10_000;
    private readonly Lock _gate = new();
    private readonly List<AutomationRule> _rules = [];
    private readonly BoundedLog<AutomationAuditEntry> _audit = new(AuditCapacity);
    private readonly EmulatorFlavor _flavor;
    private AllowlistSettings _allowlist;
    private int _nextRule;

    internal AutomationCenter(EmulatorFlavor flavor)
    {
        _flavor = flavor;
        _allowlist = DefaultAllowlist(flavor);
        RuleApi = new RuleStore(OAuthServer.SiteCloudId);
    }

    /// <summary>Cloud: the rules of the Automation Rule Management API; enabled ones run here too.</summary>
    public RuleStore RuleApi { get; }

    public IReadOnlyList<AutomationRule> Rules
    {
        get
        {
            lock (_gate)
            {
                return [.. _rules];
            }
        }
    }

    /// <summary>The audit log, oldest first.</summary>
    public IReadOnlyList<AutomationAuditEntry> Audit => _audit.Snapshot();

    public AutomationRule AddRule(AutomationRuleSpec spec)
    {
        lock (_gate)
        {
            var rule = AutomationRule.Create((++_nextRule).ToString(CultureInfo.InvariantCulture), spec);
            _rules.Add(rule);
            return rule;
        }
    }

    public bool RemoveRule(string id)
    {
        lock (_gate)
        {
            return _rules.RemoveAll(r => r.Id == id) > 0;
        }
    }

    public void ClearRules()
    {
        lock (_gate)
        {
            _rules.Clear();
        }
    }

    public void ClearAudit() => _audit.Clear();

    /// <summary>Data Center: enabled with no rules (Jira's default blocks every URL until an admin allows it). Cloud: none.</summary>
    public AllowlistSettings GetAllowlist()
    {
        lock (_gate)
        {
            return new AllowlistSettings { Enabled = _allowlist.Enabled, Rules = [.. _allowlist.Rules ?? []] };
        }
    }

    public AllowlistSettings SetAllowlist(AllowlistSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var rules = new List<AllowlistRule>();
        var id = 1;
        foreach (var rule in settings.Rules ?? [])
        {
            if (string.IsNullOrWhiteSpace(rule.Expression))
            {
                throw new ArgumentException("Every allowlist rule needs an expression.");
            }

            var type = (rule.Type ?? "EXACT_URL").ToUpperInvariant();
            if (type is not ("DOMAIN_NAME" or "EXACT_URL" or "WILDCARD_EXPRESSION" or "REGULAR_EXPRESSION"))
            {
                throw new ArgumentException("type must be DOMAIN_NAME, EXACT_URL, WILDCARD_EXPRESSION or REGULAR_EXPRESSION.");
            }

            rules.Add(new AllowlistRule { Id = id++, Expression = rule.Expression, Type = type, AllowInbound = rule.AllowInbound, AuthenticationRequired = rule.AuthenticationRequired });
        }

        lock (_gate)
        {
            _allowlist = new AllowlistSettings { Enabled = settings.Enabled ?? _allowlist.Enabled, Rules = rules };
        }

        return GetAllowlist();
    }

    internal void Reset()
    {
        lock (_gate)
        {
            _rules.Clear();
            _allowlist = DefaultAllowlist(_flavor);
        }

        RuleApi.Reset();
        _audit.Clear();
    }

    /// <summary>
    /// Queues every rule the event triggers. <paramref name="render"/> renders the issue (REST v2 shape) and the initiator;
    /// it runs here, once and only when a rule applies, so the payload shows the issue as of the event.
    /// </summary>
    /// <param name="changedFields">For <see cref="AutomationRule.FieldValueChanged"/>: the ids of the fields whose value changed.</param>
    internal void Fire(string trigger, Issue issue, Func<AutomationPayload> render, string? fromStatus = null, IReadOnlyCollection<string>? changedFields = null)
    {
        AutomationRule[] rules;
        lock (_gate)
        {
            rules = _rules.Where(r => r.Applies(trigger, issue)).ToArray();
        }

        rules = [.. rules, .. RuleApi.Matching(trigger, issue, fromStatus, changedFields)];

        if (rules.Length == 0)
        {
            return;
        }

        var payload = render();
        foreach (var rule in rules)
        {
            _ = Task.Run(() => ExecuteAsync(rule, trigger, issue.Key, payload));
        }
    }

    private async Task ExecuteAsync(AutomationRule rule, string trigger, string issueKey, AutomationPayload payload)
    {
        var clock = Stopwatch.StartNew();
        if (_flavor == EmulatorFlavor.DataCenter && !IsAllowed(rule.Url))
        {
            Log(rule, trigger, issueKey, null, clock, $"The URL {rule.Url} is not on the allowlist, so the web request was not sent. An administrator can add it under Administration → System → Allowlist.");
            return;
        }

        using var handler = new SocketsHttpHandler
        {
            ConnectTimeout = TimeSpan.FromMilliseconds(rule.ConnectTimeoutMs),
            AllowAutoRedirect = false,
            UseCookies = false,
            UseProxy = false,
            PooledConnectionLifetime = TimeSpan.Zero,
        };
        using var http = new HttpClient(handler) { Timeout = Timeout.InfiniteTimeSpan };
        using var request = new HttpRequestMessage(new HttpMethod(rule.Method), rule.Url);
        var (body, contentType) = Body(rule, payload);
        if (body is not null)
        {
            request.Content = new ByteArrayContent(body);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType!);
        }

        request.Headers.UserAgent.ParseAdd("JiraAutomation/1.0 (Atlassian emulator)");
        foreach (var (name, value) in rule.Headers)
        {
            if (!request.Headers.TryAddWithoutValidation(name, value))
            {
                request.Content?.Headers.TryAddWithoutValidation(name, value);
            }
        }

        using var answer = new CancellationTokenSource(TimeSpan.FromMilliseconds(rule.ResponseTimeoutMs));
        try
        {
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, answer.Token);
            var status = (int)response.StatusCode;
            Log(rule, trigger, issueKey, status, clock, status is >= 200 and < 300
                ? $"Send web request: the request succeeded with HTTP {status}."
                : $"Error publishing web request. Response HTTP status: {status}. The request is not retried.");
        }
        catch (OperationCanceledException) when (answer.IsCancellationRequested)
        {
            Log(rule, trigger, issueKey, null, clock, $"Error publishing web request: no response within {rule.ResponseTimeoutMs / 1000.0:0.###} seconds. The request is not retried.");
        }
        catch (Exception ex) when (ex is HttpRequestException or OperationCanceledException)
        {
            Log(rule, trigger, issueKey, null, clock, "Error publishing web request: " + Describe(ex, rule) + " The request is not retried.");
        }
    }

    private static string Describe(Exception ex, AutomationRule rule)
    {
        for (var inner = ex; inner is not null; inner = inner.InnerException)
        {
            switch (inner)
            {
                case SocketException { SocketErrorCode: SocketError.ConnectionRefused }:
                    return "connection refused.";
                case SocketException { SocketErrorCode: SocketError.HostNotFound or SocketError.TryAgain or SocketError.NoData }:
                    return "unknown host.";
                case AuthenticationException:
                    return "the TLS certificate is not trusted.";
                case TimeoutException:
                case OperationCanceledException:
                    return $"could not connect within {rule.ConnectTimeoutMs / 1000.0:0.###} seconds.";
            }
        }

        return ex.Message;
    }

    private void Log(AutomationRule rule, string trigger, string issueKey, int? status, Stopwatch clock, string message) =>
        _audit.Add(id => new AutomationAuditEntry(
            id.ToString(CultureInfo.InvariantCulture), rule.Id, rule.Name, trigger, issueKey,
            status is >= 200 and < 300 ? "SUCCESS" : "FAILURE", status, clock.ElapsedMilliseconds, message, DateTimeOffset.UtcNow));

    private static (byte[]? Body, string? ContentType) Body(AutomationRule rule, AutomationPayload payload)
    {
        const string Json = "application/json";
        return rule.Body switch
        {
            "empty" => (null, null),
            "automation" => (payload.IssueJson, Json),
            "jira" => (Concat("{\"issue\":"u8, payload.IssueJson, "}"u8), Json),
            "serviceManagement" => (Concat("{\"issue\":"u8, payload.IssueJson,
                Encoding.UTF8.GetBytes($",\"timestamp\":{DateTimeOffset.UtcNow.ToUnixTimeMilliseconds().ToString(CultureInfo.InvariantCulture)}}}")), Json),
            _ => (Encoding.UTF8.GetBytes(SmartValues.Render(rule.CustomData ?? string.Empty, rule.Name, payload.IssueJson, payload.InitiatorJson)),
                rule.EncodeAsForm ? "application/x-www-form-urlencoded" : Json),
        };
    }

    private static byte[] Concat(ReadOnlySpan<byte> prefix, byte[] json, ReadOnlySpan<byte> suffix) => [.. prefix, .. json, .. suffix];

    private bool IsAllowed(string url)
    {
        AllowlistSettings allowlist;
        lock (_gate)
        {
            allowlist = _allowlist;
        }

        if (allowlist.Enabled != true)
        {
            return true;
        }

        var target = new Uri(url);
        return (allowlist.Rules ?? []).Any(rule => rule.Type switch
        {
            "DOMAIN_NAME" => Uri.TryCreate(rule.Expression, UriKind.Absolute, out var domain)
                && Uri.Compare(domain, target, UriComponents.SchemeAndServer, UriFormat.Unescaped, StringComparison.OrdinalIgnoreCase) == 0,
            "EXACT_URL" => string.Equals(rule.Expression!.TrimEnd('/'), target.AbsoluteUri.TrimEnd('/'), StringComparison.OrdinalIgnoreCase),
            "WILDCARD_EXPRESSION" => Regex.IsMatch(target.AbsoluteUri, "^" + Regex.Escape(rule.Expression!).Replace("\\*", ".*") + "$", RegexOptions.IgnoreCase, TimeSpan.FromSeconds(1)),
            "REGULAR_EXPRESSION" => SafeRegex(rule.Expression!, target.AbsoluteUri),
            _ => false,
        });
    }

    private static bool SafeRegex(string pattern, string url)
    {
        try
        {
            return Regex.IsMatch(url, $"^(?:{pattern})$", RegexOptions.None, TimeSpan.FromSeconds(1));
        }
        catch (Exception ex) when (ex is ArgumentException or RegexMatchTimeoutException)
        {
            return false;
        }
    }

    private static AllowlistSettings DefaultAllowlist(EmulatorFlavor flavor) =>
        new() { Enabled = flavor == EmulatorFlavor.DataCenter, Rules = [] };

    /// <summary>
    /// Jira's smart values as Automation renders custom data: {{path}} and ${path}; issue.X also finds
    /// issue.fields.X; an unknown path renders as empty text. Functions: jsonEncode, urlEncode, asJsonString.
    /// </summary>
    internal static class SmartValues
    {
        private static readonly Regex Token = new(@"\{\{(?<p>[^{}]*)\}\}|\$\{(?<p>[^{}]*)\}", RegexOptions.Compiled);
        private static readonly JsonNodeOptions CaseInsensitive = new() { PropertyNameCaseInsensitive = true };

        public static string Render(string template, string ruleName, byte[] issueJson, byte[] initiatorJson)
        {
            var issue = JsonNode.Parse(issueJson, CaseInsensitive);
            var roots = new JsonObject(CaseInsensitive)
            {
                ["issue"] = issue,
                ["triggerIssue"] = issue?.DeepClone(),
                ["initiator"] = JsonNode.Parse(initiatorJson, CaseInsensitive),
                ["rule"] = new JsonObject { ["name"] = ruleName },
                ["now"] = DateTimeOffset.UtcNow.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'+0000'", CultureInfo.InvariantCulture),
            };
            return Token.Replace(template, match => Evaluate(roots, match.Groups["p"].Value.Trim()));
        }

        private static string Evaluate(JsonObject roots, string path)
        {
            JsonNode? node = roots;
            string? text = null;
            foreach (var step in path.Split('.'))
            {
                var name = step.Trim().TrimEnd(')').TrimEnd('(');
                if (text is null && node is JsonObject current && TryStep(current, name, out var next))
                {
                    node = next;
                }
                else
                {
                    text ??= Show(node);
                    text = name switch
                    {
                        "jsonEncode" => JsonSerializer.Serialize(text)[1..^1],
                        "asJsonString" => JsonSerializer.Serialize(text),
                        "urlEncode" => Uri.EscapeDataString(text),
                        _ => string.Empty,
                    };
                }
            }

            return text ?? Show(node);
        }

        private static bool TryStep(JsonObject current, string name, out JsonNode? next)
        {
            if (current.TryGetPropertyValue(name, out next))
            {
                return true;
            }

            return current["fields"] is JsonObject fields && fields.TryGetPropertyValue(name, out next);
        }

        private static string Show(JsonNode? node) => node switch
        {
            null => string.Empty,
            JsonValue value when value.TryGetValue(out string? s) => s,
            JsonValue value => value.ToJsonString(),
            JsonArray array => string.Join(", ", array.Select(Show)),
            JsonObject map => new[] { "displayName", "name", "value", "key" }.Select(k => map[k]).FirstOrDefault(v => v is JsonValue) is { } shown
                ? Show(shown) : map.ToJsonString(),
            _ => node.ToJsonString(),
        };
    }
}

/// <summary>What a rule's request can carry: the issue as of the event (REST v2 shape) and the user who caused it, as JSON.</summary>
internal sealed record AutomationPayload(byte[] IssueJson, byte[] InitiatorJson);
