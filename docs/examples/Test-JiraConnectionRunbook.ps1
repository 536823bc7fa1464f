<#
.SYNOPSIS
    Runbook: proves that the integration's Jira connection works and that the connector account sees the
    projects it must work in. Returns one report object; throws only when it cannot connect at all.
.DESCRIPTION
    Written for unattended hosts (Azure Automation, scheduled tasks, CI): it never prompts, works under
    Set-StrictMode -Version Latest and $ErrorActionPreference = 'Stop', and runs on Windows PowerShell 5.1
    and PowerShell 7.

    The credential comes from, in order: -Credential; an Azure Automation credential asset named by
    -CredentialAssetName (Get-AutomationPSCredential, where that command exists).
.EXAMPLE
    # Azure Automation: a credential asset 'JiraConnector' holds the email and the API token.
    .\Test-JiraConnectionRunbook.ps1 -SiteUrl https://example.atlassian.net -CredentialAssetName JiraConnector -RequiredProject IT, HR
.EXAMPLE
    # Any host: a credential from SecretManagement.
    $cred = Get-Secret -Name JiraConnector
    .\Test-JiraConnectionRunbook.ps1 -SiteUrl https://jira.example.com -Credential $cred -RequiredProject OPS
#>
[CmdletBinding(DefaultParameterSetName = 'Credential')]
param(
    [Parameter(Mandatory)]
    [uri] $SiteUrl,

    [Parameter(Mandatory, ParameterSetName = 'Credential')]
    [pscredential] $Credential,

    [Parameter(Mandatory, ParameterSetName = 'Asset')]
    [string] $CredentialAssetName,

    # Project keys the integration must be able to see.
    [string[]] $RequiredProject = @()
)

Set-StrictMode -Version Latest
$ErrorActionPreference = 'Stop'
Import-Module JiraConnect -ErrorAction SilentlyContinue   # already loaded when the host imported it by path

if ($PSCmdlet.ParameterSetName -eq 'Asset') {
    if (-not (Get-Command Get-AutomationPSCredential -ErrorAction SilentlyContinue)) {
        throw "Get-AutomationPSCredential is not available on this host; pass -Credential instead."
    }
    $Credential = Get-AutomationPSCredential -Name $CredentialAssetName
}

$session = Connect-JiraSite -Url $SiteUrl -Credential $Credential -Name runbook
try {
    $visible = @(Get-JiraProject -Session $session)
    $keys = @($visible | ForEach-Object Key)
    $missing = @($RequiredProject | Where-Object { $keys -notcontains $_ })
    foreach ($key in $missing) {
        Write-Warning "Project $key is not visible to $($session.User): add the account to the project's Administrators role (Project settings > People)."
    }
    [pscustomobject]@{
        Site            = $session.SiteUrl
        Deployment      = $session.DeploymentType
        User            = "$($session.User)"
        VisibleProjects = $visible.Count
        MissingProjects = $missing
        Ready           = ($missing.Count -eq 0)
        CheckedAt       = [DateTimeOffset]::Now
    }
}
finally {
    Disconnect-JiraSite -Session $session -Confirm:$false
}
