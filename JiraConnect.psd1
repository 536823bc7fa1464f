# Lists are written as comma lists, not @(...): PowerShell evaluates a manifest with its script compiler,
# and a non-empty @(...) costs every import a dynamic call site compiled at load time (docs/performance.md).
@{
    RootModule           = 'JiraConnect.dll'
    ModuleVersion        = '0.1.0'
    CompatiblePSEditions = 'Desktop', 'Core'
    GUID                 = '5b7d3f0e-8a51-4c77-9f0a-2e4c6d1b9a31'
    Author               = 'JiraConnect contributors'
    CompanyName          = 'JiraConnect'
    Copyright            = '(c) JiraConnect contributors. MIT License.'
    Description          = 'Connect Jira to the outside world from PowerShell: set up and prove webhook, Basic Auth (API token / PAT) and OAuth 2.0 (3LO) connections to Jira Cloud and Jira Data Center.'
    PowerShellVersion    = '5.1'
    DotNetFrameworkVersion = '4.7.2'
    FormatsToProcess     = 'JiraConnect.format.ps1xml'
    CmdletsToExport      =
        'Connect-JiraSite',
        'Disconnect-JiraSite',
        'Get-JiraSession',
        'Get-JiraProject',
        'Invoke-JiraRestMethod',
        'Invoke-JiraOAuthConsent',
        'Get-JiraAccessibleResource',
        'Get-JiraConnectorSetting',
        'Send-JiraTestWebhook',
        'New-JiraWebhookPayload',
        'Format-JiraSmartValue',
        'Start-JiraWebhookListener',
        'Get-JiraWebhookListener',
        'Receive-JiraWebhook',
        'Stop-JiraWebhookListener',
        'Test-JiraWebhookAllowlist',
        'Test-JiraProjectAccess',
        'Add-JiraProjectRoleActor',
        'Remove-JiraProjectRoleActor',
        'Test-JiraConnection',
        'Get-JiraEnvironmentTestPath',
        'Get-JiraAutomationRule',
        'New-JiraWebhookRule',
        'New-JiraAutomationRule',
        'Set-JiraAutomationRule',
        'Enable-JiraAutomationRule',
        'Disable-JiraAutomationRule',
        'Remove-JiraAutomationRule',
        'Set-JiraWebhookRuleToken',
        'Get-JiraApiTokenExpiry'
    FunctionsToExport    = @()
    VariablesToExport    = @()
    AliasesToExport      = @()
    PrivateData          = @{
        PSData = @{
            Tags         = 'PSEdition_Desktop', 'PSEdition_Core', 'Jira', 'Atlassian', 'OAuth', 'Webhook'
            LicenseUri   = 'https://opensource.org/licenses/MIT'
            ProjectUri   = 'https://github.com/jiraconnect/JiraConnect'
            ReleaseNotes = 'First release: Connect-JiraSite (API token, password, personal access token), Get-JiraProject, Invoke-JiraRestMethod, sessions; webhook testing with Send-JiraTestWebhook, New-JiraWebhookPayload, Format-JiraSmartValue, a local listener (Start-, Get-, Receive-JiraWebhook, Stop-) and Test-JiraWebhookAllowlist.'
        }
    }
}
