namespace AtlassianEmulator;

/// <summary>Which projects a seeded user may browse.</summary>
public enum ProjectVisibility
{
    /// <summary>Every project.</summary>
    All,

    /// <summary>Only the projects at an even position (0, 2, 4, ...) in key order.</summary>
    EvenPositionsOnly,

    /// <summary>Only the projects at every third position (0, 3, 6, ...): the service account's own project roles.</summary>
    EveryThirdPosition,
}

public static class ProjectVisibilityExtensions
{
    public static bool Allows(this ProjectVisibility visibility, Project project) => visibility switch
    {
        ProjectVisibility.All => true,
        ProjectVisibility.EveryThirdPosition => project.Position % 3 == 0,
        _ => project.Position % 2 == 0,
    };
}

/// <summary>A seeded account. Cloud accounts log in with their email, Data Center accounts with their name.</summary>
public sealed class UserAccount
{
    /// <summary>Cloud: the account id. Data Center: null.</summary>
    public string? AccountId { get; init; }

    /// <summary>Data Center: the user name (login). Cloud: null.</summary>
    public string? Name { get; init; }

    /// <summary>Data Center: the user key. Cloud: null.</summary>
    public string? Key { get; init; }

    public required string EmailAddress { get; init; }

    public required string DisplayName { get; init; }

    public required string Password { get; init; }

    /// <summary>Cloud: the API token used as the Basic password.</summary>
    public string? ApiToken { get; init; }

    /// <summary>Cloud: a scoped API token, accepted only through the API gateway (api.atlassian.com/ex/jira/{cloudId}).</summary>
    public string? ScopedApiToken { get; init; }

    /// <summary>Data Center: the personal access token sent as a Bearer token.</summary>
    public string? PersonalAccessToken { get; init; }

    public ProjectVisibility Visibility { get; init; } = ProjectVisibility.All;

    /// <summary>Holds the Jira System Administrators global permission (reads the allowlist).</summary>
    public bool SystemAdministrator { get; init; }

    /// <summary>When true every login attempt is answered with a CAPTCHA challenge.</summary>
    public bool CaptchaLocked { get; init; }

    /// <summary>How Jira APIs name the user: the account id on Cloud, the user name on Data Center.</summary>
    public string Id => AccountId ?? Name!;

    /// <summary>The name used in the Basic credential: email on Cloud, user name on Data Center.</summary>
    public string Login => Name ?? EmailAddress;

    public bool CanBrowse(Project project) => Visibility.Allows(project);
}

/// <summary>The fixed accounts of each flavor (documented in README.md).</summary>
public static class SeedUsers
{
    public static IReadOnlyList<UserAccount> Cloud { get; } =
    [
        new UserAccount
        {
            AccountId = "5b10a2844c20165700ede21g",
            EmailAddress = "admin@example.com",
            DisplayName = "Ada Admin",
            Password = "Adm1n-Passw0rd!",
            ApiToken = "ATATT3xFfGF0-emu-admin-Q7rT9vK2pL",
            ScopedApiToken = "ATSTT3xFfGF0-emu-scoped-admin-H6gN3xV9",
            SystemAdministrator = true,
        },
        new UserAccount
        {
            AccountId = "5b10ac8d82e05b22cc7d4ef5",
            EmailAddress = "limited@example.com",
            DisplayName = "Lee Limited",
            Password = "L1mited-Passw0rd!",
            ApiToken = "ATATT3xFfGF0-emu-limited-W3nB8cJ4",
            ScopedApiToken = "ATSTT3xFfGF0-emu-scoped-limited-P2dF7kY4",
            Visibility = ProjectVisibility.EvenPositionsOnly,
        },
        new UserAccount
        {
            AccountId = "5c2e1f3a9b8d7e6f5a4b3c2d",
            EmailAddress = "captcha@example.com",
            DisplayName = "Cary Captcha",
            Password = "Capt-Passw0rd!",
            ApiToken = "ATATT3xFfGF0-emu-captcha-Z5mH1sD6",
            CaptchaLocked = true,
        },
    ];

    public static IReadOnlyList<UserAccount> DataCenter { get; } =
    [
        new UserAccount
        {
            Name = "admin",
            Key = "JIRAUSER10000",
            EmailAddress = "admin@example.com",
            DisplayName = "Ada Admin",
            Password = "Adm1n-Passw0rd!",
            PersonalAccessToken = "NjQ4MzE-emu-pat-admin-R8sK2wQ5vX",
            SystemAdministrator = true,
        },
        new UserAccount
        {
            Name = "limited",
            Key = "JIRAUSER10100",
            EmailAddress = "limited@example.com",
            DisplayName = "Lee Limited",
            Password = "L1mited-Passw0rd!",
            PersonalAccessToken = "NjQ4MzE-emu-pat-limited-T4yU6iO8",
            Visibility = ProjectVisibility.EvenPositionsOnly,
        },
        new UserAccount
        {
            Name = "captcha",
            Key = "JIRAUSER10200",
            EmailAddress = "captcha@example.com",
            DisplayName = "Cary Captcha",
            Password = "Capt-Passw0rd!",
            CaptchaLocked = true,
        },
    ];

    public static IReadOnlyList<UserAccount> For(EmulatorFlavor flavor) =>
        flavor == EmulatorFlavor.Cloud ? Cloud : DataCenter;

    /// <summary>The account that leads every seeded project and reports every seeded issue.</summary>
    public static UserAccount Admin(EmulatorFlavor flavor) => For(flavor)[0];

    /// <summary>The account with partial project visibility.</summary>
    public static UserAccount Limited(EmulatorFlavor flavor) => For(flavor)[1];
}
