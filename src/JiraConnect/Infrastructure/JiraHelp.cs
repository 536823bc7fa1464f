namespace JiraConnect.Commands
{
    /// <summary>Where each cmdlet's help page is published: Get-Help -Online opens Root + "&lt;Verb-Noun&gt;.md".</summary>
    internal static class JiraHelp
    {
        /// <summary>docs/en-US of the module's repository (ProjectUri in the manifest).</summary>
        internal const string Root = "https://github.com/jiraconnect/JiraConnect/blob/main/docs/en-US/";
    }
}
