using System;
using System.Collections.Generic;
using System.Security;
using System.Threading;
using System.Threading.Tasks;
using JiraConnect.Http;
using JiraConnect.Webhooks;

namespace JiraConnect.Diagnostics
{
    /// <summary>A test delivery with the token, and one without it that the listener must refuse.</summary>
    internal sealed class ListenerChecks : ICheckFamily
    {
        private const string Delivery = JiraConnectionCheckNames.ListenerDelivery;
        private const string Authentication = JiraConnectionCheckNames.ListenerAuthentication;

        public string Activity => "Sending a test delivery to the listener";

        public IReadOnlyList<string> Names { get; } = new[] { Delivery, Authentication };

        public async Task<IReadOnlyList<JiraConnectionCheck>> RunAsync(DiagnosticsContext context, CancellationToken ct)
        {
            var options = context.Options;
            var url = options.ListenerUrl;
            if (url == null)
                return new[] { Check.NotApplicable(Delivery, "No -ListenerUrl was given.", null), Check.NotApplicable(Authentication, "No -ListenerUrl was given.", null) };
            string target = Security.Redactor.Url(url);
            if (!url.IsAbsoluteUri || (url.Scheme != Uri.UriSchemeHttps && url.Scheme != Uri.UriSchemeHttp))
            {
                var bad = Check.Fail(Delivery, $"'{target}' is not an absolute http:// or https:// URL.",
                    "Pass the listener's full URL, as it is entered in the Automation rule's Send web request action.", target);
                return new[] { bad, context.Skipped(Authentication, "Needs a valid listener URL.", target) };
            }
            if (options.ListenerToken != null && url.Scheme != Uri.UriSchemeHttps && !JiraHttpPipeline.IsLoopback(url))
            {
                var plain = Check.Fail(Delivery,
                    $"{target} is plain HTTP on another computer: the Bearer token would cross the network unencrypted, so no test delivery was sent.",
                    "Give the listener an https:// URL; Jira sends the token in the Authorization header of every delivery.", target);
                return new[] { plain, context.Skipped(Authentication, "Needs an https:// listener URL.", target) };
            }

            bool hasToken = options.ListenerToken != null;
            var first = await Check.TimedAsync(async () => DeliveryCheck(await DeliverAsync(options, options.ListenerToken, ct).ConfigureAwait(false), hasToken, target)).ConfigureAwait(false);
            if (!hasToken)
                return new[] { first, Check.NotApplicable(Authentication, "No -ListenerToken was given.", target) };
            var anonymous = await Check.TimedAsync(async () => AnonymousCheck(await DeliverAsync(options, null, ct).ConfigureAwait(false), target)).ConfigureAwait(false);
            return new[] { first, anonymous };
        }

        /// <summary>One test delivery through the webhook sender, with Jira's rules: a Service Management style body, no retry, no redirects.</summary>
        private static Task<JiraWebhookResult> DeliverAsync(JiraConnectionTestOptions options, SecureString token, CancellationToken ct) =>
            JiraWebhookSender.SendAsync(new JiraWebhookRequest
            {
                Uri = options.ListenerUrl,
                Token = token,
                Payload = JiraWebhookPayloadBuilder.Build(new JiraWebhookPayloadRequest { Format = JiraWebhookBodyFormat.ServiceManagement, RuleName = "JiraConnect test delivery" }),
                ConnectTimeout = options.ListenerConnectLimit,
                ResponseTimeout = options.ListenerResponseLimit,
            }, ct);

        private static JiraConnectionCheck DeliveryCheck(JiraWebhookResult result, bool hasToken, string target)
        {
            string token = hasToken ? "with the Bearer token" : "without a token";
            string timing = $"connected in {(result.ConnectTime ?? TimeSpan.Zero).TotalMilliseconds:0} ms, answered in {result.TotalTime.TotalMilliseconds:0} ms";
            switch (result.OutcomeKind)
            {
                case JiraWebhookOutcome.Delivered:
                    return Check.Pass(Delivery, $"The listener accepted a test POST {token} with {result.StatusCode} ({timing}), within Jira's limits.", target);
                case JiraWebhookOutcome.Unauthorized:
                case JiraWebhookOutcome.Forbidden:
                    return Check.Fail(Delivery, $"The listener rejected a test POST {token} with {result.StatusCode} ({timing}).",
                        !hasToken
                            ? "Pass the listener's token with -ListenerToken; Jira must send it as 'Authorization: Bearer <token>' in the Send web request action."
                            : "The token does not match the listener's credential: copy the current token from the listener's configuration into -ListenerToken and into the Automation rule's Authorization header (Bearer <token>).", target);
                case JiraWebhookOutcome.ResponseTimeout:
                    return Check.Fail(Delivery, $"A test POST {token}: {result.Verdict}",
                        "Make the listener answer at once (queue the work and answer 2xx): Jira waits about 20 s and does not retry.", target);
                case JiraWebhookOutcome.ConnectTimeout:
                case JiraWebhookOutcome.ConnectionRefused:
                case JiraWebhookOutcome.DnsFailure:
                case JiraWebhookOutcome.ConnectionFailed:
                    return Check.Fail(Delivery, $"A test POST {token} got no answer: {result.Verdict}",
                        "Check that the listener is running and reachable from Jira (firewall, and the allowlist on Jira Service Management Data Center 4.6+); Jira does not retry.", target);
                case JiraWebhookOutcome.Redirected:
                    return Check.Fail(Delivery, $"A test POST {token}: {result.Verdict}", "Enter the final URL in the Automation rule: Jira does not follow redirects.", target);
                default:
                    return Check.Fail(Delivery, $"A test POST {token}: {result.Verdict}", "Check the listener URL (path included) and the listener's logs; Jira counts only 2xx as success.", target);
            }
        }

        private static JiraConnectionCheck AnonymousCheck(JiraWebhookResult result, string target)
        {
            if (result.OutcomeKind == JiraWebhookOutcome.Unauthorized || result.OutcomeKind == JiraWebhookOutcome.Forbidden)
                return Check.Pass(Authentication, $"The listener refuses a POST without the token ({result.StatusCode}).", target);
            if (result.Succeeded)
            {
                return Check.Warn(Authentication, $"The listener accepted a POST without any token ({result.StatusCode}): anyone who knows the URL can send it events.",
                    "Turn on credential verification on the listener so that it demands the Bearer token.", target);
            }
            return Check.Warn(Authentication, $"A POST without the token was not refused with 401 or 403: {result.Verdict}",
                "Check that the listener demands the Bearer token and answers 401 without it.", target);
        }
    }
}
