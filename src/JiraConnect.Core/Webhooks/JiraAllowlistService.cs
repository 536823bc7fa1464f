using System;
using System.Collections;
using System.Linq;
using System.Net.Http;
using System.Text.RegularExpressions;
using System.Threading;
using System.Threading.Tasks;
using JiraConnect.Http;
using JiraConnect.Security;

namespace JiraConnect
{
    /// <summary>Whether Jira may send web requests to a URL.</summary>
    public enum JiraAllowlistStatus
    {
        /// <summary>A rule of the allowlist matches the URL.</summary>
        Allowed,
        /// <summary>The allowlist is on and no rule matches: Jira Service Management 4.6+ refuses to send.</summary>
        NotAllowed,
        /// <summary>The allowlist is switched off: every URL is allowed.</summary>
        AllowlistDisabled,
        /// <summary>Jira Cloud: there is no allowlist for outgoing web requests.</summary>
        NotApplicable,
        /// <summary>The allowlist could not be read; the message says how to check.</summary>
        Unknown,
    }

    /// <summary>The allowlist check of one listener URL.</summary>
    public sealed class JiraWebhookAllowlistResult
    {
        public Uri Uri { get; internal set; }
        public string Session { get; internal set; }
        public string DeploymentType { get; internal set; }
        /// <summary>A <see cref="JiraAllowlistStatus"/> name: Allowed, NotAllowed, AllowlistDisabled, NotApplicable or Unknown.</summary>
        public string Status => StatusKind.ToString();
        internal JiraAllowlistStatus StatusKind { get; set; }
        /// <summary>The rule that allows the URL ("WILDCARD_EXPRESSION https://*.example.com/*").</summary>
        public string MatchedRule { get; internal set; }
        /// <summary>How many rules the allowlist has, when it could be read.</summary>
        public int? RuleCount { get; internal set; }
        /// <summary>What the status means and what to do.</summary>
        public string Message { get; internal set; }

        public override string ToString() => DisplayText.Escape(Status + ": " + Message);
    }
}

namespace JiraConnect.Webhooks
{
    /// <summary>
    /// Reads the allowlist of a Jira Data Center site (Administration → System → Allowlist) and checks a URL against
    /// its rules. The resource (/rest/whitelist/latest/) is not part of Atlassian's published REST reference, so
    /// both a rule array and {"enabled":…,"rules":[…]} are accepted, and anything else is reported as Unknown with
    /// the manual check.
    /// </summary>
    public static class JiraAllowlistService
    {
        public const string ResourcePath = "/rest/whitelist/latest/";

        private const string HowToCheck =
            "A Jira system administrator can check it under Administration → System → Allowlist: enter the URL in 'Test a URL', or add a rule for it (for example Exact match with the listener URL).";

        public static async Task<JiraWebhookAllowlistResult> CheckAsync(JiraSession session, Uri url, CancellationToken cancellationToken)
        {
            if (session == null) throw new ArgumentNullException(nameof(session));
            if (url == null || !url.IsAbsoluteUri)
            {
                throw new JiraException(JiraErrorId.InvalidUrl, JiraErrorKind.InvalidArgument, "The listener URL must be absolute.", url?.OriginalString,
                    "Pass the URL as it goes into the rule, for example https://listener.example.com/hooks/jira.");
            }
            var result = new JiraWebhookAllowlistResult { Uri = url, Session = session.Name, DeploymentType = session.DeploymentType };
            if (session.IsCloud)
            {
                result.StatusKind = JiraAllowlistStatus.NotApplicable;
                result.Message = "Jira Cloud has no allowlist for Automation web requests. The listener must be reachable from the internet over HTTPS with a certificate from a public certificate authority.";
                return result;
            }

            JiraResponse response;
            try
            {
                response = await session.Client.SendAsync(HttpMethod.Get, session.Client.Resolve(ResourcePath), null, cancellationToken).ConfigureAwait(false);
            }
            catch (JiraApiException e) when (e.Kind == JiraErrorKind.Authentication || e.Kind == JiraErrorKind.PermissionDenied)
            {
                result.StatusKind = JiraAllowlistStatus.Unknown;
                result.Message = $"The account of session '{session.Name}' may not read the allowlist ({(int)e.StatusCode}); only system administrators can. " + HowToCheck;
                return result;
            }
            catch (JiraNotFoundException)
            {
                result.StatusKind = JiraAllowlistStatus.Unknown;
                result.Message = "This Jira does not offer the allowlist REST resource. " + HowToCheck;
                return result;
            }

            object content = Webhooks.WebhookContent.TryParseJson(response.Body);
            object enabled = content is IDictionary map && map.Contains("enabled") ? map["enabled"] : null;
            object[] rules = content as object[] ?? (content is IDictionary shape ? (shape["rules"] ?? shape["values"]) as object[] : null);
            if (rules == null)
            {
                result.StatusKind = JiraAllowlistStatus.Unknown;
                result.Message = "The allowlist answer has a shape JiraConnect does not know. " + HowToCheck;
                return result;
            }
            result.RuleCount = rules.Length;
            if (enabled is bool on && !on)
            {
                result.StatusKind = JiraAllowlistStatus.AllowlistDisabled;
                result.Message = "The allowlist is switched off, so Jira may send web requests to any URL.";
                return result;
            }
            foreach (var rule in rules)
            {
                string expression = WebhookTree.Text(rule, "expression");
                string type = WebhookTree.Text(rule, "type") ?? string.Empty;
                if (expression != null && Matches(type, expression, url))
                {
                    result.StatusKind = JiraAllowlistStatus.Allowed;
                    result.MatchedRule = type + " " + expression;
                    result.Message = "The allowlist allows the URL: Jira may send web requests to it.";
                    return result;
                }
            }
            result.StatusKind = JiraAllowlistStatus.NotAllowed;
            result.Message = $"No rule of the allowlist ({rules.Length} rules) matches {Redactor.Url(url)}: Jira Service Management 4.6 and later refuses to send the web request. "
                + "Add a rule under Administration → System → Allowlist, for example Exact match " + Redactor.Url(url) + " or Domain name " + url.GetLeftPart(UriPartial.Authority) + ".";
            return result;
        }

        /// <summary>Jira's rule types: domain name, exact match, wildcard expression, regular expression.</summary>
        internal static bool Matches(string type, string expression, Uri url)
        {
            string full = url.AbsoluteUri;
            string kind = type.ToUpperInvariant().Replace("_", string.Empty).Replace(" ", string.Empty);
            try
            {
                switch (kind)
                {
                    case "DOMAINNAME":
                    case "DOMAIN":
                        return Uri.TryCreate(expression.Trim(), UriKind.Absolute, out var domain)
                            && string.Equals(domain.GetLeftPart(UriPartial.Authority), url.GetLeftPart(UriPartial.Authority), StringComparison.OrdinalIgnoreCase);
                    case "EXACTURL":
                    case "EXACT":
                    case "EXACTMATCH":
                        return string.Equals(expression.Trim().TrimEnd('/'), full.TrimEnd('/'), StringComparison.OrdinalIgnoreCase);
                    case "WILDCARDEXPRESSION":
                    case "WILDCARD":
                        string pattern = "^" + string.Join(".*", expression.Trim().Split('*').Select(Regex.Escape)) + "$";
                        return Regex.IsMatch(full, pattern, RegexOptions.IgnoreCase | RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
                    case "REGULAREXPRESSION":
                    case "REGEX":
                        return Regex.IsMatch(full, "^(?:" + expression + ")$", RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
                    default:
                        return false;
                }
            }
            catch (Exception e) when (e is ArgumentException || e is RegexMatchTimeoutException)
            {
                return false; // An invalid or runaway pattern matches nothing.
            }
        }
    }
}
