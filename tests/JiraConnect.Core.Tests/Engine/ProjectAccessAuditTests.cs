#nullable enable
using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AtlassianEmulator;
using JiraConnect.Services;
using Xunit;
using JiraConnect.Tests.Contract;

namespace JiraConnect.Core.Tests.Engine;

/// <summary>The audit engine against the emulator's seed: by project position modulo 8 (see the emulator README).</summary>
public sealed class ProjectAccessAuditTests
{
    public static TheoryData<EmulatorFlavor> Flavors => [EmulatorFlavor.Cloud, EmulatorFlavor.DataCenter];

    private static readonly string[] LacksEdit = ["EDIT_ISSUES", "TRANSITION_ISSUES", "ASSIGN_ISSUES", "DELETE_ISSUES", "Role:Administrators"];
    private static readonly string[] LacksAll =
        ["BROWSE_PROJECTS", "CREATE_ISSUES", "EDIT_ISSUES", "TRANSITION_ISSUES", "ASSIGN_ISSUES", "ADD_COMMENTS", "DELETE_ISSUES", "Role:Administrators"];

    [Theory]
    [MemberData(nameof(Flavors))]
    public async Task With_the_role_required_the_audit_reports_exactly_what_the_seed_withholds(EmulatorFlavor flavor)
    {
        await using var emulator = await EmulatorHarness.StartAsync(flavor, 25, issues: 5);
        using var session = await Emu.ConnectAsync(emulator, Emu.Admin(emulator));

        var (results, errors) = await RunAsync(session, new JiraAccessAuditOptions { RequireRole = true }, null);

        Assert.Empty(errors);
        Assert.Equal(25, results.Count);
        var notReady = results.Where(r => !r.Ready).ToDictionary(r => r.ProjectKey, r => r.Missing);
        Assert.Equal(["HR", "MKT", "OPS", "PAAAE", "PAAAG", "PAAAH", "PAAAM", "PAAAO", "PAAAP"], notReady.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(LacksEdit, notReady["HR"]);
        Assert.Equal(LacksAll, notReady["MKT"]);
        Assert.Equal(["Role:Administrators"], notReady["OPS"]);
        var fin = results.Single(r => r.ProjectKey == "FIN");
        Assert.Equal(nameof(JiraRoleMembership.Group), fin.RoleMembership);
        Assert.Equal(["jira-administrators"], fin.RoleGroups);
        var both = results.Single(r => r.ProjectKey == "PAAAA");
        Assert.Equal(nameof(JiraRoleMembership.Direct), both.RoleMembership);
        Assert.Equal(["jira-administrators"], both.RoleGroups);
        Assert.Equal("The account lacks EDIT_ISSUES, TRANSITION_ISSUES, ASSIGN_ISSUES and DELETE_ISSUES and is not in the Administrators role.",
            results.Single(r => r.ProjectKey == "HR").Detail);
        var hr = results.Single(r => r.ProjectKey == "HR");
        Assert.Equal("Run: ", hr.RemedyPlan.Parts[0]);
        Assert.Equal([("ProjectKey", "HR"), ("Role", "Administrators")], AddRoleActorParameters(hr));
        Assert.All(results.Where(r => r.Ready), r => Assert.Null(r.RemedyPlan));
        Assert.All(results, r => Assert.Equal(session.User.Id, r.AccountId));

        // Cloud answers for every project in one bulk check; Data Center is asked project by project, with the permission filter.
        if (flavor == EmulatorFlavor.Cloud)
        {
            Assert.Single(await Emu.LogAsync(emulator, atLeast: 1, "/rest/api/3/permissions/check"));
            Assert.DoesNotContain(emulator.State.Requests, r => r.Path.EndsWith("/mypermissions", StringComparison.Ordinal));
        }
        else
        {
            var queries = (await Emu.LogAsync(emulator, atLeast: 25, "/rest/api/2/mypermissions")).Select(r => r.Query).ToList();
            Assert.Equal(25, queries.Count);
            Assert.All(queries, q => Assert.Contains("permissions=", q, StringComparison.Ordinal));
        }
    }

    [Theory]
    [MemberData(nameof(Flavors))]
    public async Task By_default_ready_means_the_permissions_and_the_role_is_read_only_where_a_project_is_not_ready(EmulatorFlavor flavor)
    {
        await using var emulator = await EmulatorHarness.StartAsync(flavor, 25, issues: 5);
        using var session = await Emu.ConnectAsync(emulator, Emu.Admin(emulator));

        var (results, errors) = await RunAsync(session, new JiraAccessAuditOptions(), null);

        Assert.Empty(errors);
        var notReady = results.Where(r => !r.Ready).ToDictionary(r => r.ProjectKey, r => r);
        Assert.Equal(["HR", "MKT", "PAAAE", "PAAAG", "PAAAM", "PAAAO"], notReady.Keys.Order(StringComparer.Ordinal));
        Assert.Equal(LacksEdit.Where(m => !m.StartsWith("Role:", StringComparison.Ordinal)), notReady["HR"].Missing);
        Assert.All(notReady.Values, r => Assert.Equal(nameof(JiraRoleMembership.None), r.RoleMembership));
        var ops = results.Single(r => r.ProjectKey == "OPS");
        Assert.True(ops.Ready);
        Assert.Equal(nameof(JiraRoleMembership.NotChecked), ops.RoleMembership);
        Assert.Empty(ops.Missing);
        var roleReads = emulator.State.Requests.Where(r => System.Text.RegularExpressions.Regex.IsMatch(r.Path, "/project/[^/]+/role/\\d+$"))
            .Select(r => r.Path.Split('/')[^3]).Distinct().Order(StringComparer.Ordinal);
        Assert.Equal(notReady.Keys.Order(StringComparer.Ordinal), roleReads);
    }

    [Theory]
    [MemberData(nameof(Flavors))]
    public async Task Another_account_is_audited_through_the_administrator_apis(EmulatorFlavor flavor)
    {
        await using var emulator = await EmulatorHarness.StartAsync(flavor, 6, issues: 5);
        using var session = await Emu.ConnectAsync(emulator, Emu.Admin(emulator));
        var limited = flavor == EmulatorFlavor.Cloud ? "5b10ac8d82e05b22cc7d4ef5" : "limited";

        var (results, _) = await RunAsync(session, new JiraAccessAuditOptions { AccountId = limited }, ["DEV", "FIN"]);

        var dev = results.Single(r => r.ProjectKey == "DEV");
        var fin = results.Single(r => r.ProjectKey == "FIN");
        Assert.Equal(limited, dev.AccountId);
        Assert.Equal("Lee Limited", dev.AccountName);
        Assert.Equal(["BROWSE_PROJECTS", "CREATE_ISSUES", "ADD_COMMENTS"], dev.Granted);
        Assert.Equal(nameof(JiraRoleMembership.None), dev.RoleMembership);
        Assert.Empty(fin.Granted);
        Assert.Equal([("ProjectKey", "DEV"), ("Role", "Administrators"), ("AccountId", limited)], AddRoleActorParameters(dev));
        var used = flavor == EmulatorFlavor.Cloud ? "/rest/api/3/permissions/check" : "/rest/api/2/user/permission/search";
        Assert.Contains(emulator.State.Requests, r => r.Path == used);
        Assert.DoesNotContain(emulator.State.Requests, r => r.Path.EndsWith("/mypermissions", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Data_Center_lists_the_projects_once_for_many_named_keys_and_asks_one_request_a_ready_project()
    {
        await using var emulator = await EmulatorHarness.StartAsync(EmulatorFlavor.DataCenter, 120, issues: 5);
        using var session = await Emu.ConnectAndClearLogAsync(emulator, Emu.Admin(emulator));
        var keys = (await JiraProjectService.GetProjects(session, null, 0, long.MaxValue, CancellationToken.None).ReadAllAsync()).Select(p => p.Key).Take(110).ToArray();
        Assert.True(keys.Length > 2 * JiraProjectService.MaxKeysPerRequest);
        // The log records a request after its answer is sent: wait for the listing's entry before clearing.
        await Emu.LogAsync(emulator, atLeast: 1, "/rest/api/2/project");
        emulator.State.ClearRequests();

        var (found, missing) = await JiraProjectService.ResolveKeysAsync(session, keys, null, CancellationToken.None);
        Assert.Equal(keys.Length, found.Count);
        Assert.Empty(missing);
        Assert.Single(await Emu.LogAsync(emulator, atLeast: 1, "/rest/api/2/project"));
        emulator.State.ClearRequests();

        var (results, errors) = await RunAsync(session, new JiraAccessAuditOptions { Permissions = ["BROWSE_PROJECTS"] }, keys);

        Assert.Empty(errors);
        Assert.Equal(keys.Length, results.Count);
        var ready = results.Count(r => r.Ready);
        var log = await Emu.LogAsync(emulator, atLeast: keys.Length + 1);
        Assert.Single(log, r => r.Path == "/rest/api/2/project");
        Assert.Equal(keys.Length, log.Count(r => r.Path == "/rest/api/2/mypermissions"));
        // One role lookup (role map and actors) for each project that is not ready, none for the others.
        Assert.Equal(keys.Length - ready, log.Where(r => r.Path.Contains("/role/", StringComparison.Ordinal)).Select(r => r.Path).Distinct().Count());
    }

    [Fact]
    public async Task An_account_that_may_not_read_roles_gets_unknown_membership()
    {
        await using var emulator = await EmulatorHarness.StartAsync(EmulatorFlavor.Cloud, 6, issues: 5);
        using var session = await Emu.ConnectAsync(emulator, Emu.Limited(emulator));

        var (results, _) = await RunAsync(session, new JiraAccessAuditOptions(), null);

        Assert.Equal(["DEV", "HR", "MKT"], results.Select(r => r.ProjectKey).Order(StringComparer.Ordinal));
        Assert.All(results, r =>
        {
            Assert.False(r.Ready);
            Assert.Equal(nameof(JiraRoleMembership.Unknown), r.RoleMembership);
            Assert.DoesNotContain("Role:Administrators", r.Missing);
            Assert.Contains("may or may not hold the Administrators role", r.Detail);
        });
    }

    [Fact]
    public async Task Named_keys_are_resolved_deduplicated_and_unknown_ones_reported()
    {
        await using var emulator = await EmulatorHarness.StartAsync(EmulatorFlavor.Cloud, 8, issues: 5);
        using var session = await Emu.ConnectAsync(emulator, Emu.Admin(emulator));

        var (results, errors) = await RunAsync(session, new JiraAccessAuditOptions { CheckRole = false, Permissions = ["edit_issues"] }, ["it", "IT", "HR", "NOPE"]);

        Assert.Equal(["HR", "IT"], results.Select(r => r.ProjectKey).Order(StringComparer.Ordinal));
        Assert.Equal(["EDIT_ISSUES"], results.Single(r => r.ProjectKey == "HR").Missing);
        Assert.True(results.Single(r => r.ProjectKey == "IT").Ready);
        Assert.All(results, r => Assert.Equal(nameof(JiraRoleMembership.NotChecked), r.RoleMembership));
        var error = Assert.Single(errors);
        Assert.Equal("NOPE", error.Target);
        Assert.Equal(JiraErrorId.ProjectNotFound, error.Error.ErrorId);
    }

    [Fact]
    public async Task An_unknown_role_stops_the_audit()
    {
        await using var emulator = await EmulatorHarness.StartAsync(EmulatorFlavor.Cloud, 8, issues: 5);
        using var session = await Emu.ConnectAsync(emulator, Emu.Admin(emulator));

        var failure = await Assert.ThrowsAsync<JiraException>(() => RunAsync(session, new JiraAccessAuditOptions { Role = "Admins" }, null));

        Assert.Equal(JiraErrorId.RoleNotFound, failure.ErrorId);
        Assert.Contains("Administrators, Developers, Users", failure.Message);
    }

    [Fact]
    public async Task No_more_projects_than_the_throttle_limit_are_in_flight()
    {
        await using var emulator = await EmulatorHarness.StartAsync(EmulatorFlavor.Cloud, 12, issues: 5);
        using var session = await Emu.ConnectAsync(emulator, Emu.Admin(emulator));
        emulator.State.AddFault(new FaultSpec { Path = "/rest/api/3/mypermissions", Kind = FaultKind.Delay, DelayMs = 250, Times = -1 });

        var (results, _) = await RunAsync(session, new JiraAccessAuditOptions { ThrottleLimit = 3, CheckRole = false, PerProject = true }, null);

        // A worker sends its next mypermissions only after the 250 ms answer to its last one, so any 200 ms
        // window holds at most one arrival per worker.
        var arrivals = (await Emu.LogAsync(emulator, atLeast: 12, "/rest/api/3/mypermissions")).Select(r => r.Timestamp).Order().ToList();
        var busiest = arrivals.Max(t => arrivals.Count(u => u >= t && u < t.AddMilliseconds(200)));
        Assert.Equal(12, results.Count);
        Assert.Equal(12, arrivals.Count);
        Assert.InRange(busiest, 2, 3);
    }

    /// <summary>The remedy's command line (the cmdlet layer writes it out): one Add-JiraProjectRoleActor and its parameters.</summary>
    private static (string, string)[] AddRoleActorParameters(JiraProjectAccess access)
    {
        var line = Assert.IsType<CommandLine>(access.RemedyPlan.Parts.Last());
        var add = Assert.Single(line.Stages);
        Assert.Equal("Add-JiraProjectRoleActor", add.Command);
        return add.Parameters.Select(p => (p.Key, string.Join(",", p.Value))).ToArray();
    }

    internal static async Task<(List<JiraProjectAccess> Results, List<JiraAccessAuditOutcome> Errors)> RunAsync(
        JiraSession session, JiraAccessAuditOptions options, string[]? keys)
    {
        var results = new List<JiraProjectAccess>();
        var errors = new List<JiraAccessAuditOutcome>();
        using var audit = JiraProjectAccessAudit.Start(session, options, CancellationToken.None);
        if (keys is null)
        {
            audit.AddAllProjects();
        }
        else
        {
            audit.AddKeys(keys);
            audit.CompleteAdding();
        }

        await audit.Completion;
        while (audit.TryTake(out var outcome))
        {
            if (outcome.Result is not null)
            {
                results.Add(outcome.Result);
            }
            else
            {
                errors.Add(outcome);
            }
        }

        Assert.Equal(results.Count, audit.Done);
        return (results, errors);
    }
}
