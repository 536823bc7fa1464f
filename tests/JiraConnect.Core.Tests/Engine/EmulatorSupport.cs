using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AtlassianEmulator;
using JiraConnect.Http;
using JiraConnect.Security;
using JiraConnect.Services;
using JiraConnect.Tests.Contract;
using static JiraConnect.Core.Tests.Engine.TestSupport;

namespace JiraConnect.Core.Tests.Engine
{
    /// <summary>Seeded accounts of the emulator as JiraAuthentication, and sessions connected to an <see cref="EmulatorHarness"/>.</summary>
    internal static class Emu
    {
        public const string CloudEmail = Seeded.CloudAdminEmail;
        public const string CloudToken = Seeded.CloudAdminToken;
        public const string CloudAccountId = Seeded.CloudAdminAccountId;
        public const string CaptchaEmail = Seeded.CloudCaptchaEmail;
        public const string CaptchaToken = Seeded.CloudCaptchaToken;
        public const string DcUser = Seeded.DataCenterAdminUser;
        public const string Password = Seeded.AdminPassword;
        public const string DcPat = Seeded.DataCenterAdminPatToken;

        public static JiraConnectionOptions Options(EmulatorHarness emu, JiraAuthentication auth, RetryPolicy retry = null, TimeSpan? timeout = null) =>
            new JiraConnectionOptions
            {
                Url = emu.BaseUrl,
                Authentication = auth,
                Retry = retry ?? FastRetry(),
                Timeout = timeout ?? TimeSpan.FromSeconds(15),
                NoProxy = true,
            };

        public static JiraAuthentication CloudAdmin() => JiraAuthentication.Basic(CloudEmail, Secure(CloudToken));

        public static JiraAuthentication DcAdminPassword() => JiraAuthentication.Basic(DcUser, Secure(Password));

        public static JiraAuthentication DcAdminPat() => JiraAuthentication.Bearer(Secure(DcPat));

        public static JiraAuthentication CloudLimited() => JiraAuthentication.Basic(Seeded.CloudLimitedEmail, Secure(Seeded.CloudLimitedToken));

        public static JiraAuthentication DcLimited() => JiraAuthentication.Basic(Seeded.DataCenterLimitedUser, Secure(Seeded.LimitedPassword));

        /// <summary>The seeded admin of the emulator's flavor: API token on Cloud, personal access token on Data Center.</summary>
        public static JiraAuthentication Admin(EmulatorHarness emu) => emu.State.Flavor == EmulatorFlavor.Cloud ? CloudAdmin() : DcAdminPat();

        /// <summary>The seeded account that sees only the projects at even positions and administers none.</summary>
        public static JiraAuthentication Limited(EmulatorHarness emu) => emu.State.Flavor == EmulatorFlavor.Cloud ? CloudLimited() : DcLimited();

        public static Task<JiraSession> ConnectAsync(EmulatorHarness emu, JiraAuthentication auth, CancellationToken ct = default) =>
            JiraConnector.ConnectAsync(Options(emu, auth), ct);

        /// <summary>Connects, then empties the request log so that a test sees only its own requests.</summary>
        public static async Task<JiraSession> ConnectAndClearLogAsync(EmulatorHarness emu, JiraAuthentication auth)
        {
            var session = await ConnectAsync(emu, auth);
            await LogAsync(emu, atLeast: 2); // serverInfo and myself
            emu.State.ClearRequests();
            return session;
        }

        /// <summary>
        /// The request log once it holds at least <paramref name="atLeast"/> entries (for a path, when given).
        /// The emulator records a request after its answer is sent, so a client can see an answer before the
        /// log does: poll briefly, with a deadline.
        /// </summary>
        public static async Task<IReadOnlyList<RequestLogEntry>> LogAsync(EmulatorHarness emu, int atLeast, string path = null)
        {
            var clock = Stopwatch.StartNew();
            while (true)
            {
                var log = emu.State.Requests
                    .Where(r => path == null || string.Equals(r.Path, path, StringComparison.OrdinalIgnoreCase))
                    .ToList();
                if (log.Count >= atLeast || clock.Elapsed > TimeSpan.FromSeconds(5)) return log;
                await Task.Delay(5);
            }
        }

        /// <summary>Reads every page of a project listing.</summary>
        public static async Task<List<JiraProject>> ReadAllAsync(JiraPageReader<JiraProject> reader)
        {
            var all = new List<JiraProject>();
            using (reader)
            {
                JiraPage<JiraProject> page;
                int pages = 0;
                while ((page = await reader.NextAsync()) != null)
                {
                    all.AddRange(page.Items);
                    if (++pages > 10_000) throw new InvalidOperationException("The reader never stopped.");
                }
            }
            return all;
        }
    }
}
