#nullable enable
using System;
using System.Linq;
using System.Threading.Tasks;
using AtlassianEmulator;
using JiraConnect.Services;
using Xunit;

namespace JiraConnect.Core.Tests.Engine;

/// <summary>
/// Jira Cloud's burst limit counts requests per endpoint per second: once Jira says an endpoint is near its limit,
/// the session spaces its requests to that endpoint instead of letting every worker run into 429s.
/// </summary>
public sealed class BurstPacingTests
{
    [Fact]
    public async Task Role_reads_of_an_audit_that_requires_the_role_are_paced_to_the_burst_limit_instead_of_answered_429()
    {
        const int projects = 150, limit = 40;
        await using var emulator = await Emu.Start(EmulatorFlavor.Cloud, projects);
        using var session = await Emu.ConnectAsync(emulator, Emu.Admin(emulator));
        emulator.State.BurstLimiter.Limit = limit;
        long rejectedBefore = emulator.State.BurstLimiter.Rejected;

        var (results, errors) = await ProjectAccessAuditTests.RunAsync(session, new JiraAccessAuditOptions { RequireRole = true, ThrottleLimit = 8 }, null);

        // 150 reads of one endpoint from 8 workers would reach 40 a second within a fraction of it, in every second.
        var roleReads = emulator.State.Requests.Count(r => r.Path.StartsWith("/rest/api/3/project/", StringComparison.Ordinal) && r.Path.Contains("/role/"));
        long rejected = emulator.State.BurstLimiter.Rejected - rejectedBefore;
        Assert.Empty(errors);
        Assert.Equal(projects, results.Count);
        Assert.InRange(roleReads, projects, projects + 2);
        Assert.InRange(rejected, 0, 2);
    }
}
