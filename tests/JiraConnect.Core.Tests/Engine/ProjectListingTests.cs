using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using AtlassianEmulator;
using JiraConnect.Services;
using Xunit;
using JiraConnect.Tests.Contract;

namespace JiraConnect.Core.Tests.Engine
{
    /// <summary>JiraProjectService and JiraPageReader against seeded emulators.</summary>
    public class ProjectListingTests
    {
        private const string CloudSearch = "/rest/api/3/project/search";

        [Theory]
        [InlineData(0)]
        [InlineData(1)]
        [InlineData(100)]
        [InlineData(101)]
        [InlineData(2500)]
        public async Task CloudListsEveryProjectExactlyOnce(int count)
        {
            await using var emu = await EmulatorHarness.Cloud(projects: count, issues: 0);
            using var session = await Emu.ConnectAndClearLogAsync(emu, Emu.CloudAdmin());

            var reader = JiraProjectService.GetProjects(session, null, 0, long.MaxValue, CancellationToken.None);
            var projects = await Emu.ReadAllAsync(reader);

            Assert.Equal(count, projects.Count);
            Assert.Equal(emu.State.Projects.Select(p => p.Key), projects.Select(p => p.Key));
            Assert.All(projects, p => Assert.Equal(session.Name, p.Session));
            if (count > 0) Assert.Equal(count, reader.Total);

            // One request per page of 100; an empty site answers its one request with 404.
            int expected = Math.Max(1, (count + 99) / 100);
            var log = await Emu.LogAsync(emu, expected);
            var requests = log.Where(r => r.Path == CloudSearch).ToList();
            Assert.Equal(expected, requests.Count);
            Assert.Equal(expected, log.Count);
            if (count == 0) Assert.Equal(404, requests[0].Status);
            else Assert.All(requests, r => Assert.Equal(200, r.Status));
        }

        [Fact]
        public async Task CloudProjectFieldsAreMapped()
        {
            await using var emu = await EmulatorHarness.Cloud(projects: 10, issues: 0);
            using var session = await Emu.ConnectAsync(emu, Emu.CloudAdmin());

            var projects = await Emu.ReadAllAsync(JiraProjectService.GetProjects(session, null, 0, long.MaxValue, CancellationToken.None));
            var dev = projects.Single(p => p.Key == "DEV");
            var seeded = emu.State.Projects.Single(p => p.Key == "DEV");
            Assert.Equal(seeded.Id, dev.Id);
            Assert.Equal(seeded.Name, dev.Name);
            Assert.Equal(seeded.TypeKey, dev.ProjectTypeKey);
            Assert.Equal(seeded.Simplified, dev.Simplified);
            Assert.Equal(seeded.Category?.Name, dev.Category);
            Assert.False(dev.Archived);
            Assert.NotNull(dev.Url);
            Assert.Equal("DEV", dev.ToString());
        }

        [Fact]
        public async Task CloudSkipAndFirstReadOnlyThePagesNeeded()
        {
            await using var emu = await EmulatorHarness.Cloud(projects: 2500, issues: 0);
            using var session = await Emu.ConnectAndClearLogAsync(emu, Emu.CloudAdmin());

            var projects = await Emu.ReadAllAsync(JiraProjectService.GetProjects(session, null, skip: 150, first: 120, CancellationToken.None));

            Assert.Equal(emu.State.Projects.Skip(150).Take(120).Select(p => p.Key), projects.Select(p => p.Key));
            var requests = await Emu.LogAsync(emu, 2);
            Assert.Equal(2, requests.Count);
            Assert.All(requests, r => Assert.Equal(CloudSearch, r.Path));
            Assert.Contains("startAt=150", requests[0].Query);
            Assert.Contains("maxResults=100", requests[0].Query);
            Assert.Contains("startAt=250", requests[1].Query);
            Assert.Contains("maxResults=20", requests[1].Query);
        }

        [Fact]
        public async Task CloudSkipBeyondTheEndIsEmpty()
        {
            await using var emu = await EmulatorHarness.Cloud(projects: 30, issues: 0);
            using var session = await Emu.ConnectAsync(emu, Emu.CloudAdmin());

            var projects = await Emu.ReadAllAsync(JiraProjectService.GetProjects(session, null, skip: 40, first: long.MaxValue, CancellationToken.None));
            Assert.Empty(projects);
        }

        [Fact]
        public async Task CloudFirstZeroMakesNoRequest()
        {
            await using var emu = await EmulatorHarness.Cloud(projects: 30, issues: 0);
            using var session = await Emu.ConnectAndClearLogAsync(emu, Emu.CloudAdmin());

            var projects = await Emu.ReadAllAsync(JiraProjectService.GetProjects(session, null, skip: 0, first: 0, CancellationToken.None));
            Assert.Empty(projects);
            Assert.Empty(emu.State.Requests);
        }

        [Fact]
        public async Task CloudKeysFilterAsksJiraForThoseKeys()
        {
            await using var emu = await EmulatorHarness.Cloud(projects: 300, issues: 0);
            using var session = await Emu.ConnectAndClearLogAsync(emu, Emu.CloudAdmin());

            var query = new JiraProjectQuery { Keys = new[] { "OPS", "DEV", "NOPE" } };
            var projects = await Emu.ReadAllAsync(JiraProjectService.GetProjects(session, query, 0, long.MaxValue, CancellationToken.None));

            Assert.Equal(new[] { "DEV", "OPS" }, projects.Select(p => p.Key).OrderBy(k => k, StringComparer.Ordinal));
            var request = Assert.Single(await Emu.LogAsync(emu, 1));
            Assert.Contains("keys=OPS", request.Query);
            Assert.Contains("keys=DEV", request.Query);
        }

        [Theory]
        [InlineData(0)]
        [InlineData(1)]
        [InlineData(250)]
        public async Task DataCenterListsEveryProjectInOneRequest(int count)
        {
            await using var emu = await EmulatorHarness.DataCenter(projects: count, issues: 0);
            using var session = await Emu.ConnectAndClearLogAsync(emu, Emu.DcAdminPassword());

            var projects = await Emu.ReadAllAsync(JiraProjectService.GetProjects(session, null, 0, long.MaxValue, CancellationToken.None));

            Assert.Equal(count, projects.Count);
            Assert.Equal(emu.State.Projects.Select(p => p.Key), projects.Select(p => p.Key));
            var request = Assert.Single(await Emu.LogAsync(emu, 1));
            Assert.Equal("/rest/api/2/project", request.Path);
            Assert.Equal(200, request.Status);
        }

        [Fact]
        public async Task DataCenterSkipAndFirstSliceTheList()
        {
            await using var emu = await EmulatorHarness.DataCenter(projects: 60, issues: 0);
            using var session = await Emu.ConnectAndClearLogAsync(emu, Emu.DcAdminPat());

            var projects = await Emu.ReadAllAsync(JiraProjectService.GetProjects(session, null, skip: 10, first: 5, CancellationToken.None));

            Assert.Equal(emu.State.Projects.Skip(10).Take(5).Select(p => p.Key), projects.Select(p => p.Key));
            Assert.Single(await Emu.LogAsync(emu, 1));
        }

        [Fact]
        public async Task CompletionKeysAreCachedPerSession()
        {
            await using var emu = await EmulatorHarness.Cloud(projects: 120, issues: 0);
            using var session = await Emu.ConnectAndClearLogAsync(emu, Emu.CloudAdmin());

            var keys = await JiraProjectService.GetKeysForCompletionAsync(session, CancellationToken.None);
            var again = await JiraProjectService.GetKeysForCompletionAsync(session, CancellationToken.None);

            Assert.Equal(120, keys.Count);
            Assert.Same(keys, again);
            Assert.Equal(2, (await Emu.LogAsync(emu, 2, CloudSearch)).Count);
            Assert.Equal(2, emu.State.Requests.Count);
        }

        [Fact]
        public async Task PageReaderStopsOnTheTotalWithoutAnExtraRequest()
        {
            var calls = new List<(long StartAt, int Max)>();
            JiraPageReader<int>.PageFetch fetch = (startAt, max, ct) =>
            {
                lock (calls) calls.Add((startAt, max));
                var items = Enumerable.Range((int)startAt, (int)Math.Max(0, Math.Min(max, 25 - startAt))).ToList();
                // A server that never says isLast: the total must end the paging.
                return Task.FromResult(new JiraPage<int>(items, 25, isLast: false));
            };

            var all = new List<int>();
            using (var reader = new JiraPageReader<int>(fetch, 10, 0, long.MaxValue, CancellationToken.None))
            {
                JiraPage<int> page;
                while ((page = await reader.NextAsync()) != null) all.AddRange(page.Items);
            }

            Assert.Equal(Enumerable.Range(0, 25), all);
            Assert.Equal(new[] { (0L, 10), (10L, 10), (20L, 10) }, calls);
        }

        [Fact]
        public async Task PageReaderNeverReturnsMoreThanFirstEvenWhenTheServerSendsMore()
        {
            int requests = 0;
            // A server that ignores maxResults and always answers full pages of 10.
            JiraPageReader<int>.PageFetch fetch = (startAt, max, ct) =>
            {
                Interlocked.Increment(ref requests);
                return Task.FromResult(new JiraPage<int>(Enumerable.Range((int)startAt, 10).ToList(), 1000, isLast: false));
            };

            var all = new List<int>();
            using (var reader = new JiraPageReader<int>(fetch, 10, skip: 5, first: 15, CancellationToken.None))
            {
                JiraPage<int> page;
                while ((page = await reader.NextAsync()) != null) all.AddRange(page.Items);
            }

            Assert.Equal(Enumerable.Range(5, 15), all);
            Assert.Equal(2, requests);
        }
    }
}
