namespace AtlassianEmulator;

/// <summary>
/// Service accounts (documented in README.md): org-level accounts for integrations, with their own project
/// visibility (every third project), scoped API tokens and OAuth 2.0 client credentials.
/// </summary>
public static class ServiceAccountSeed
{
    public const string CloudClientId = "emuSvcClient4Jk8Pw2Nq6Ts";
    public const string CloudClientSecret = "ATSAemu-svc-secret-5Hd9Lq2Wm7Rx3Kv8Zb1Nc6";
    public const string DataCenterClientId = "emuDcSvcClient8Rm3Vx6Lp";
    public const string DataCenterClientSecret = "emu-dc-svc-secret-2Qw7Ez4Ty9Ui5Oa";

    /// <summary>A scoped token with read:jira-work and read:jira-user.</summary>
    public const string ScopedToken = "ATSTT3xFfGF0-emu-svc-scoped-R4tW8yN2";

    /// <summary>A scoped token with read:jira-user only (no read:jira-work).</summary>
    public const string ScopedTokenWithoutWork = "ATSTT3xFfGF0-emu-svc-noread-K7pX3mQ9";

    /// <summary>The Jira Cloud service account (an Atlassian-made address under serviceaccount.atlassian.com).</summary>
    public static UserAccount Cloud { get; } = new()
    {
        AccountId = "712020:5e1b9f3c-7a2d-4c8e-9f01-5a6b7c8d9e0f",
        EmailAddress = "jira-sync-emu@serviceaccount.atlassian.com",
        DisplayName = "Jira Sync (service account)",
        // Service accounts cannot log in interactively: no password works.
        Password = "\0no-interactive-login-" + Guid.NewGuid().ToString("N"),
        Visibility = ProjectVisibility.EveryThirdPosition,
    };

    /// <summary>The Jira Data Center service account.</summary>
    public static UserAccount DataCenter { get; } = new()
    {
        Name = "svc-jira-sync",
        Key = "JIRAUSER10300",
        EmailAddress = "svc-jira-sync@example.com",
        DisplayName = "Jira Sync (service account)",
        Password = "\0no-interactive-login-" + Guid.NewGuid().ToString("N"),
        Visibility = ProjectVisibility.EveryThirdPosition,
    };

    /// <summary>The scoped API tokens of the Cloud service account and their scopes.</summary>
    public static IReadOnlyDictionary<string, IReadOnlyList<string>> ScopedTokens { get; } = new Dictionary<string, IReadOnlyList<string>>(StringComparer.Ordinal)
    {
        [ScopedToken] = ["read:jira-work", "read:jira-user"],
        [ScopedTokenWithoutWork] = ["read:jira-user"],
    };

    /// <summary>The scopes of a scoped API token of the Cloud service account (Basic, email + token), or null.</summary>
    internal static IReadOnlyList<string>? ScopesOf(string login, string secret)
    {
        if (!string.Equals(login, Cloud.EmailAddress, StringComparison.OrdinalIgnoreCase))
        {
            return null;
        }

        foreach (var (token, scopes) in ScopedTokens)
        {
            if (EmulatorState.FixedTimeEquals(token, secret))
            {
                return scopes;
            }
        }

        return null;
    }
}
