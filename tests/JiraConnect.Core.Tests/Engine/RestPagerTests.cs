using System;
using System.Collections;
using System.Collections.Generic;
using System.Collections.Specialized;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using AtlassianEmulator;
using JiraConnect.Services;
using Xunit;
using JiraConnect.Tests.Contract;

namespace JiraConnect.Core.Tests.Engine
{
    /// <summary>JiraRestPager over Jira's two paging styles.</summary>
    public class RestPagerTests
    {
        private static async Task<List<object>> ReadAllAsync(JiraRestPager pager, int maxPages = 1000)
        {
            var all = new List<object>();
            IReadOnlyList<object> items;
            while ((items = await pager.NextAsync()) != null)
            {
                all.AddRange(items);
                Assert.True(pager.PagesRead <= maxPages, $"the pager read more than {maxPages} pages");
            }
            return all;
        }

        private static string Field(object item, string name) => Convert.ToString(Assert.IsType<OrderedDictionary>(item)[name]);

        [Theory]
        [InlineData(101, 40, 3)]
        [InlineData(100, 50, 2)]
        [InlineData(7, 100, 1)]
        public async Task OffsetPagingOverProjectSearchYieldsEveryProjectOnce(int count, int pageSize, int expectedPages)
        {
            await using var emu = await EmulatorHarness.Cloud(projects: count, issues: 0);
            using var session = await Emu.ConnectAndClearLogAsync(emu, Emu.CloudAdmin());

            var pager = JiraRestService.Paginate(session, HttpMethod.Get, "project/search",
                new Hashtable { ["maxResults"] = pageSize }, null, CancellationToken.None);
            var items = await ReadAllAsync(pager);

            Assert.Equal(emu.State.Projects.Select(p => p.Key), items.Select(i => Field(i, "key")));
            Assert.Equal(expectedPages, pager.PagesRead);
            Assert.Equal(expectedPages, (await Emu.LogAsync(emu, expectedPages)).Count);
            Assert.Null(await pager.NextAsync());
            Assert.Equal(expectedPages, emu.State.Requests.Count);
        }

        [Fact]
        public async Task OffsetPagingOverDataCenterSearchYieldsEveryIssueOnce()
        {
            await using var emu = await EmulatorHarness.DataCenter(projects: 3, issues: 120);
            using var session = await Emu.ConnectAndClearLogAsync(emu, Emu.DcAdminPat());

            var pager = JiraRestService.Paginate(session, HttpMethod.Get, "search",
                new Hashtable { ["jql"] = "project = DEV", ["maxResults"] = 50, ["fields"] = "summary" }, null, CancellationToken.None);
            var items = await ReadAllAsync(pager);

            Assert.Equal(emu.State.Issues.Select(i => i.Key), items.Select(i => Field(i, "key")));
            Assert.Equal(3, pager.PagesRead);
        }

        [Fact]
        public async Task TokenPagingOverSearchJqlYieldsEveryIssueOnce()
        {
            await using var emu = await EmulatorHarness.Cloud(projects: 3, issues: 230);
            using var session = await Emu.ConnectAndClearLogAsync(emu, Emu.CloudAdmin());

            var pager = JiraRestService.Paginate(session, HttpMethod.Get, "search/jql",
                new Hashtable { ["jql"] = "project = DEV ORDER BY key", ["maxResults"] = 100, ["fields"] = "summary" }, null, CancellationToken.None);
            var items = await ReadAllAsync(pager, maxPages: 10);

            var ids = items.Select(i => Field(i, "id")).ToList();
            Assert.Equal(230, ids.Count);
            Assert.Equal(ids.Count, ids.Distinct().Count());
            Assert.Equal(emu.State.Issues.Select(i => i.Id).OrderBy(x => x), ids.OrderBy(x => x));
            Assert.Equal(3, pager.PagesRead);

            var requests = await Emu.LogAsync(emu, 3, "/rest/api/3/search/jql");
            Assert.Equal(3, requests.Count);
            Assert.DoesNotContain("nextPageToken", requests[0].Query);
            Assert.Contains("nextPageToken=", requests[1].Query);
            Assert.Contains("nextPageToken=", requests[2].Query);
            Assert.All(requests, r => Assert.Equal(200, r.Status));
        }

        [Fact]
        public async Task AnUnpagedArrayIsOnePage()
        {
            await using var emu = await EmulatorHarness.Cloud(projects: 12, issues: 0);
            using var session = await Emu.ConnectAsync(emu, Emu.CloudAdmin());

            var pager = JiraRestService.Paginate(session, HttpMethod.Get, "project", null, null, CancellationToken.None);
            var items = await ReadAllAsync(pager);
            Assert.Equal(12, items.Count);
            Assert.Equal(1, pager.PagesRead);
        }

        [Fact]
        public async Task ASingleObjectIsOneItem()
        {
            await using var emu = await EmulatorHarness.Cloud(projects: 2, issues: 0);
            using var session = await Emu.ConnectAsync(emu, Emu.CloudAdmin());

            var pager = JiraRestService.Paginate(session, HttpMethod.Get, "myself", null, null, CancellationToken.None);
            var items = await ReadAllAsync(pager);
            Assert.Equal(Emu.CloudAccountId, Field(Assert.Single(items), "accountId"));
            Assert.Equal(1, pager.PagesRead);
        }
    }
}
