using System;
using System.Text;
using JiraConnect.ServiceAccounts;
using JiraConnect.Services;
using Xunit;

namespace JiraConnect.Core.Tests.Engine
{
    /// <summary>The organization admin API's token list: links.next in each form it may take, and each token's fields.</summary>
    public class ApiTokenExpiryParserTests
    {
        private static readonly Uri Page = new Uri("https://api.atlassian.com/admin/api-access/v1/orgs/org-1/api-tokens?cursor=first");
        private static readonly DateTimeOffset Now = new DateTimeOffset(2026, 3, 1, 12, 0, 0, TimeSpan.Zero);

        [Theory]
        [InlineData(null, null)]
        [InlineData("", null)]
        [InlineData("eyJvZmZzZXQiOjN9", "https://api.atlassian.com/admin/api-access/v1/orgs/org-1/api-tokens?cursor=eyJvZmZzZXQiOjN9")]
        [InlineData("a+b/c=", "https://api.atlassian.com/admin/api-access/v1/orgs/org-1/api-tokens?cursor=a%2Bb%2Fc%3D")]
        [InlineData("?cursor=abc&limit=3", "https://api.atlassian.com/admin/api-access/v1/orgs/org-1/api-tokens?cursor=abc&limit=3")]
        [InlineData("/admin/api-access/v1/orgs/org-1/api-tokens?cursor=p2", "https://api.atlassian.com/admin/api-access/v1/orgs/org-1/api-tokens?cursor=p2")]
        [InlineData("https://api.atlassian.com/admin/api-access/v1/orgs/org-1/api-tokens?cursor=p3", "https://api.atlassian.com/admin/api-access/v1/orgs/org-1/api-tokens?cursor=p3")]
        public void NextPageFollowsEveryFormOfLinksNext(string next, string expected)
        {
            Assert.Equal(expected, JiraApiTokenExpiryService.NextPage(Page, next)?.AbsoluteUri);
        }

        [Fact]
        public void ParsesTokensDatesAndOwner()
        {
            const string json = @"{""data"":[
                {""id"":""t1"",""label"":""Connector"",""status"":""ALLOWED"",""createdAt"":""2025-03-01T12:00:00.000Z"",""expiresAt"":""2026-03-11T06:00:00.000Z"",""lastActiveAt"":""2026-02-28T12:00:00Z"",
                 ""user"":{""id"":""acc-1"",""orgId"":""org-1"",""name"":""Ada Admin"",""email"":""admin@example.com""}},
                {""id"":""t2"",""label"":""Old"",""status"":""ALLOWED"",""createdAt"":""2025-02-01T00:00:00Z"",""expiresAt"":""2026-02-24T12:00:00Z"",""lastActiveAt"":null,
                 ""user"":{""id"":""acc-2"",""name"":""Lee"",""email"":""lee@example.com""}},
                {""id"":""t3"",""label"":""No dates""}
              ],""links"":{""self"":""c0"",""next"":""c1"",""prev"":null}}";

            var tokens = JiraApiTokenExpiryService.ParsePage(Encoding.UTF8.GetBytes(json), "org-fallback", Now, out var next);

            Assert.Equal("c1", next);
            Assert.Equal(3, tokens.Count);
            var connector = tokens[0];
            Assert.Equal(("t1", "Connector", "ALLOWED"), (connector.Id, connector.Label, connector.Status));
            Assert.Equal(new DateTimeOffset(2026, 3, 11, 6, 0, 0, TimeSpan.Zero), connector.ExpiresAt);
            Assert.Equal(new DateTimeOffset(2025, 3, 1, 12, 0, 0, TimeSpan.Zero), connector.CreatedAt);
            Assert.Equal(new DateTimeOffset(2026, 2, 28, 12, 0, 0, TimeSpan.Zero), connector.LastActiveAt);
            // 9.75 days left: rounded up.
            Assert.Equal(10, connector.DaysLeft);
            Assert.False(connector.Expired);
            Assert.Equal(("acc-1", "Ada Admin", "admin@example.com", "org-1"), (connector.UserAccountId, connector.UserName, connector.UserEmail, connector.OrganizationId));

            var old = tokens[1];
            Assert.True(old.Expired);
            Assert.Equal(-5, old.DaysLeft);
            Assert.Null(old.LastActiveAt);
            Assert.Equal("org-fallback", old.OrganizationId);

            var bare = tokens[2];
            Assert.Null(bare.ExpiresAt);
            Assert.Null(bare.DaysLeft);
            Assert.False(bare.Expired);
            Assert.Null(bare.UserEmail);
        }

        [Fact]
        public void TheLastPageHasNoNext()
        {
            var tokens = JiraApiTokenExpiryService.ParsePage(Encoding.UTF8.GetBytes(@"{""data"":[],""links"":{""self"":""c2""}}"), "org-1", Now, out var next);
            Assert.Empty(tokens);
            Assert.Null(next);
        }

        [Fact]
        public void ToStringShowsLabelAndOwnerOnly()
        {
            var tokens = JiraApiTokenExpiryService.ParsePage(Encoding.UTF8.GetBytes(
                @"{""data"":[{""id"":""t1"",""label"":""Connector\u001b[31m"",""user"":{""email"":""admin@example.com""}}]}"), "org-1", Now, out _);
            Assert.Equal("Connector\\x1B[31m (admin@example.com)", tokens[0].ToString());
        }
    }
}
