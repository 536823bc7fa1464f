# Shared helpers for the Pester suites: the built module's path, the emulator's life cycle and its admin API,
# and the seeded credentials (documented in tests/AtlassianEmulator/README.md).

$script:Root = Resolve-Path (Join-Path $PSScriptRoot '../..')

function Get-JiraConnectModulePath {
    Join-Path $script:Root 'out/JiraConnect/JiraConnect.psd1'
}

function Get-TestToolAssembly {
    <# The newest build (Release or Debug) of a test tool under tests/<Project>; -What names it when it is not built. #>
    param([Parameter(Mandatory)] [string] $Project, [Parameter(Mandatory)] [string] $What)
    $candidates = foreach ($configuration in 'Release', 'Debug') {
        Get-Item (Join-Path $script:Root "tests/$Project/bin/$configuration/net10.0/$Project.dll") -ErrorAction SilentlyContinue
    }
    $newest = $candidates | Sort-Object LastWriteTimeUtc -Descending | Select-Object -First 1
    if (-not $newest) { throw "$What is not built: run ./build.ps1 -Task Build first." }
    $newest.FullName
}

function Wait-Until {
    <# Evaluates -Condition every 50 ms until it is true; throws, naming -What, once -TimeoutSec have passed. #>
    param([Parameter(Mandatory)] [scriptblock] $Condition, [int] $TimeoutSec = 30, [Parameter(Mandatory)] [string] $What)
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSec)
    while (-not (& $Condition)) {
        if ([DateTime]::UtcNow -ge $deadline) { throw "Timed out after $TimeoutSec s waiting for $What." }
        Start-Sleep -Milliseconds 50
    }
}

function Start-JiraEmulator {
    <# Starts the emulator on 127.0.0.1 with a free port and waits (with a deadline) for its ready line. #>
    param(
        [ValidateSet('cloud', 'datacenter')] [string] $Flavor = 'cloud',
        [int] $Projects = 25,
        [int] $Issues = -1,
        [int] $BurstLimit = 0,
        [int] $TimeoutSec = 60
    )
    $dotnet = (Get-Command dotnet -CommandType Application | Select-Object -First 1).Source
    $info = [System.Diagnostics.ProcessStartInfo]::new($dotnet)
    foreach ($argument in @((Get-TestToolAssembly AtlassianEmulator 'The emulator'), '--port', '0', '--projects', "$Projects", '--flavor', $Flavor)) { $info.ArgumentList.Add($argument) }
    if ($Issues -ge 0) { $info.ArgumentList.Add('--issues'); $info.ArgumentList.Add("$Issues") }
    if ($BurstLimit -gt 0) { $info.ArgumentList.Add('--burst-limit'); $info.ArgumentList.Add("$BurstLimit") }
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardInput = $true
    $info.RedirectStandardError = $true
    $info.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($info)
    $null = $process.StandardError.ReadToEndAsync()
    $readLine = $process.StandardOutput.ReadLineAsync()
    if (-not $readLine.Wait([TimeSpan]::FromSeconds($TimeoutSec)) -or -not $readLine.Result) {
        if (-not $process.HasExited) { $process.Kill() }
        throw "The emulator did not report ready within $TimeoutSec s."
    }
    if ($readLine.Result -notmatch '^Atlassian emulator listening on (http://127\.0\.0\.1:\d+)$') {
        $process.Kill()
        throw "Unexpected first line from the emulator: $($readLine.Result)"
    }
    [pscustomobject]@{ Url = $Matches[1]; Process = $process; Flavor = $Flavor }
}

function Stop-JiraEmulator {
    param([Parameter(ValueFromPipeline)] $Emulator)
    process {
        if ($null -eq $Emulator -or $null -eq $Emulator.Process) { return }
        try { $Emulator.Process.StandardInput.Close() } catch { }
        if (-not $Emulator.Process.WaitForExit(5000)) { $Emulator.Process.Kill() }
        $Emulator.Process.Dispose()
    }
}

function Invoke-EmulatorAdmin {
    <# Calls the emulator's /_emulator admin API. #>
    param(
        [Parameter(Mandatory)] $Emulator,
        [Parameter(Mandatory)] [string] $Path,
        [string] $Method = 'POST',
        $Body
    )
    $parameters = @{ Uri = "$($Emulator.Url)/_emulator/$Path"; Method = $Method }
    if ($PSBoundParameters.ContainsKey('Body')) {
        $parameters.Body = ($Body | ConvertTo-Json -Depth 5 -Compress)
        $parameters.ContentType = 'application/json'
    }
    Invoke-RestMethod @parameters
}

function Reset-JiraEmulator {
    param([Parameter(Mandatory)] $Emulator, [int] $Projects = -1)
    $null = Invoke-EmulatorAdmin $Emulator 'reset'
    if ($Projects -ge 0) { $null = Invoke-EmulatorAdmin $Emulator 'projects' -Body @{ count = $Projects } }
}

function Add-EmulatorFault {
    param(
        [Parameter(Mandatory)] $Emulator,
        [Parameter(Mandatory)] [ValidateSet('status', 'delay', 'drop', 'malformedJson', 'html', 'redirect')] [string] $Kind,
        [string] $Path,
        [string] $Method,
        [int] $Status,
        [int] $RetryAfter = -1,
        [int] $DelayMs,
        [int] $Times = 1,
        [int] $After = 0,
        [string] $Location
    )
    $fault = @{ kind = $Kind; times = $Times; after = $After }
    if ($Location) { $fault.location = $Location }
    if ($Path) { $fault.path = $Path }
    if ($Method) { $fault.method = $Method }
    if ($Status) { $fault.status = $Status }
    if ($RetryAfter -ge 0) { $fault.retryAfter = $RetryAfter }
    if ($DelayMs) { $fault.delayMs = $DelayMs }
    Invoke-EmulatorAdmin $Emulator 'faults' -Body $fault
}

function Set-EmulatorSetting {
    <# Changes emulator settings: burst limit (requests per second per endpoint, 0 = off), listener token, basic auth. #>
    param([Parameter(Mandatory)] $Emulator, [int] $BurstLimit = -1, [string] $ListenerToken, [Nullable[bool]] $BasicAuthEnabled)
    $settings = @{}
    if ($BurstLimit -ge 0) { $settings.burstLimit = $BurstLimit }
    if ($ListenerToken) { $settings.listenerToken = $ListenerToken }
    if ($null -ne $BasicAuthEnabled) { $settings.basicAuthEnabled = $BasicAuthEnabled }
    Invoke-EmulatorAdmin $Emulator 'settings' -Method PUT -Body $settings
}

function Revoke-EmulatorToken {
    <# Revokes a seeded user's API token (Cloud) or personal access token (Data Center) until the next reset. #>
    param([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)] [string] $Login)
    $null = Invoke-EmulatorAdmin $Emulator 'tokens/revoke' -Body @{ login = $Login }
}

function Get-EmulatorListenerUrl {
    param([Parameter(Mandatory)] $Emulator)
    "$($Emulator.Url)/listener"
}

function Get-EmulatorRequest {
    param([Parameter(Mandatory)] $Emulator, [string] $Path)
    $log = @(Invoke-EmulatorAdmin $Emulator 'requests' -Method GET | ForEach-Object { $_ })
    if ($Path) { $log = @($log | Where-Object { $_.path -like "$Path*" }) }
    , $log
}

function Clear-EmulatorRequest {
    param([Parameter(Mandatory)] $Emulator)
    $null = Invoke-EmulatorAdmin $Emulator 'requests' -Method DELETE
}

function Wait-EmulatorAudit {
    <# The Automation audit log once it has -Count entries, polling with a deadline. #>
    param([Parameter(Mandatory)] $Emulator, [int] $Count = 1, [int] $TimeoutSec = 30)
    $seen = @{ Audit = @() }
    Wait-Until -TimeoutSec $TimeoutSec -What "$Count entries in the Automation audit log" -Condition {
        $seen.Audit = @(Invoke-EmulatorAdmin $Emulator 'automation/audit' -Method GET | ForEach-Object { $_ })
        $seen.Audit.Count -ge $Count
    }
    , $seen.Audit
}

function Start-WebhookTestServer {
    <# A listener that answers every request with -Status (and -Location) after -DelayMs, over TLS with -Certificate. Dispose() stops it. #>
    param(
        [int] $Status = 200,
        [string] $Location,
        [int] $DelayMs = 0,
        [System.Security.Cryptography.X509Certificates.X509Certificate2] $Certificate
    )
    if (-not ('JiraConnect.PesterSupport.WebhookTestServer' -as [type])) {
        Add-Type -Path (Join-Path $PSScriptRoot 'WebhookTestServer.cs')
    }
    [JiraConnect.PesterSupport.WebhookTestServer]::new($Status, $Location, $DelayMs, $Certificate)
}

function New-SelfSignedTestCertificate {
    <# A self-signed certificate for 127.0.0.1 and localhost, made with CertificateRequest (nothing is installed anywhere). #>
    $rsa = [System.Security.Cryptography.RSA]::Create(2048)
    $request = [System.Security.Cryptography.X509Certificates.CertificateRequest]::new('CN=127.0.0.1', $rsa,
        [System.Security.Cryptography.HashAlgorithmName]::SHA256, [System.Security.Cryptography.RSASignaturePadding]::Pkcs1)
    $names = [System.Security.Cryptography.X509Certificates.SubjectAlternativeNameBuilder]::new()
    $names.AddIpAddress([System.Net.IPAddress]::Loopback)
    $names.AddDnsName('localhost')
    $request.CertificateExtensions.Add($names.Build())
    $serverAuthentication = [System.Security.Cryptography.OidCollection]::new()
    $null = $serverAuthentication.Add([System.Security.Cryptography.Oid]::new('1.3.6.1.5.5.7.3.1'))
    $request.CertificateExtensions.Add([System.Security.Cryptography.X509Certificates.X509EnhancedKeyUsageExtension]::new($serverAuthentication, $false))
    $certificate = $request.CreateSelfSigned([DateTimeOffset]::UtcNow.AddMinutes(-5), [DateTimeOffset]::UtcNow.AddHours(1))
    # A certificate with an exportable key works with SslStream on every platform once it went through PKCS#12.
    [System.Security.Cryptography.X509Certificates.X509CertificateLoader]::LoadPkcs12($certificate.Export('Pkcs12'), $null)
}

# Seeded secrets. Tests grep every output for these strings.
$script:Secrets = [ordered]@{
    CloudAdminToken     = 'ATATT3xFfGF0-emu-admin-Q7rT9vK2pL'
    CloudLimitedToken   = 'ATATT3xFfGF0-emu-limited-W3nB8cJ4'
    CloudCaptchaToken   = 'ATATT3xFfGF0-emu-captcha-Z5mH1sD6'
    AdminPassword       = 'Adm1n-Passw0rd!'
    LimitedPassword     = 'L1mited-Passw0rd!'
    DataCenterAdminPat  = 'NjQ4MzE-emu-pat-admin-R8sK2wQ5vX'
    WrongToken          = 'ATATT3xFfGF0-wrong-token-J9kL0pA1'
    ScopedAdminToken    = 'ATSTT3xFfGF0-emu-scoped-admin-H6gN3xV9'
    OAuthSeedSecret     = 'ATOAemu-client-secret-9xQ4vR7mK2pL5nB8sD3fG6hJ1'
    ListenerToken       = 'mw-listener-Xq7Lp2Vz9Rt4Kd6'
    WebhookSecret       = 'whsec-Hn3Jd8Qw5Zt1Mc'
    EmulatorListenerToken = 'lsn-emu-7Hq2Vx9Kp4Wd'
    ServiceClientSecret   = 'ATSAemu-svc-secret-5Hd9Lq2Wm7Rx3Kv8Zb1Nc6'
    ServiceScopedToken    = 'ATSTT3xFfGF0-emu-svc-scoped-R4tW8yN2'
    ServiceScopedNoWork   = 'ATSTT3xFfGF0-emu-svc-noread-K7pX3mQ9'
    DataCenterClientSecret = 'emu-dc-svc-secret-2Qw7Ez4Ty9Ui5Oa'
    OrgAdminApiKey        = 'ATCTT3xFfGF0-emu-org-admin-key-P8vQ2mX5'
    OrgKeyWithoutScope    = 'ATCTT3xFfGF0-emu-org-noscope-key-L3hW7cR1'
}

# The organization of the emulator's admin API (GET /admin/api-access/v1/orgs/{orgId}/api-tokens).
$script:OrganizationId = '7c4e2a91-3b5d-4f68-8a0c-2e9d1b7f6a35'
function Get-EmulatorOrganizationId { $script:OrganizationId }
function Get-OrgAdminApiKey {
    param([switch] $WithoutScope)
    ConvertTo-SecureString $(if ($WithoutScope) { $script:Secrets.OrgKeyWithoutScope } else { $script:Secrets.OrgAdminApiKey }) -AsPlainText -Force
}

# Service accounts on the emulator (see tests/AtlassianEmulator/README.md).
$script:ServiceAccount = @{
    Email = 'jira-sync-emu@serviceaccount.atlassian.com'; ClientId = 'emuSvcClient4Jk8Pw2Nq6Ts'; DataCenterClientId = 'emuDcSvcClient8Rm3Vx6Lp'
}
function Get-EmulatorServiceAccount { $script:ServiceAccount }
function Get-ServiceClientCredential {
    param([switch] $DataCenter)
    if ($DataCenter) { New-TestCredential $script:ServiceAccount.DataCenterClientId $script:Secrets.DataCenterClientSecret }
    else { New-TestCredential $script:ServiceAccount.ClientId $script:Secrets.ServiceClientSecret }
}
function Revoke-EmulatorClientCredential {
    param([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)] [string] $ClientId)
    $null = Invoke-EmulatorAdmin $Emulator 'service-accounts/credentials/revoke' -Body @{ clientId = $ClientId }
}

function Get-TestSecret { param([string] $Name) if ($Name) { $script:Secrets[$Name] } else { $script:Secrets } }

function New-TestCredential {
    param([Parameter(Mandatory)] [string] $UserName, [Parameter(Mandatory)] [string] $Secret)
    [pscredential]::new($UserName, (ConvertTo-SecureString $Secret -AsPlainText -Force))
}

function Get-CloudAdminCredential { New-TestCredential 'admin@example.com' $script:Secrets.CloudAdminToken }
function Get-DataCenterAdminCredential { New-TestCredential 'admin' $script:Secrets.AdminPassword }

# OAuth 2.0 (3LO) on the emulator (see tests/AtlassianEmulator/README.md).
$script:SiteCloudId = '3f1c9a2e-6b7d-4e58-9c0a-1d2e3f4a5b6c'
function Get-EmulatorCloudId { $script:SiteCloudId }

function Get-FreeTcpPort {
    <# A port that is free right now on 127.0.0.1 (the system picks it; the redirect URI of an app needs a fixed one). #>
    $listener = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $listener.Start()
    try { $listener.LocalEndpoint.Port } finally { $listener.Stop() }
}

function Register-EmulatorOAuthApp {
    <# Registers an OAuth app with a loopback callback on a free port; returns clientId, clientSecret, redirectUri and a credential. #>
    param([Parameter(Mandatory)] $Emulator, [string] $RedirectUri, [string[]] $Scopes)
    if (-not $RedirectUri) { $RedirectUri = "http://localhost:$(Get-FreeTcpPort)/callback" }
    $body = @{ redirectUris = @($RedirectUri) }
    if ($Scopes) { $body.scopes = $Scopes }
    $app = Invoke-EmulatorAdmin $Emulator 'oauth/apps' -Body $body
    [pscustomobject]@{
        ClientId     = $app.clientId
        ClientSecret = $app.clientSecret
        RedirectUri  = $RedirectUri
        Credential   = [pscredential]::new($app.clientId, (ConvertTo-SecureString $app.clientSecret -AsPlainText -Force))
    }
}

function Set-EmulatorOAuthSetting {
    param([Parameter(Mandatory)] $Emulator, [int] $AccessTokenLifetimeSeconds = -1, [int] $RefreshTokenInactivitySeconds = -1, [int] $ReuseIntervalSeconds = -1)
    $body = @{}
    if ($AccessTokenLifetimeSeconds -ge 0) { $body.accessTokenLifetimeSeconds = $AccessTokenLifetimeSeconds }
    if ($RefreshTokenInactivitySeconds -ge 0) { $body.refreshTokenInactivitySeconds = $RefreshTokenInactivitySeconds }
    if ($ReuseIntervalSeconds -ge 0) { $body.reuseIntervalSeconds = $ReuseIntervalSeconds }
    Invoke-EmulatorAdmin $Emulator 'oauth/settings' -Method PUT -Body $body
}

function Move-EmulatorClock {
    <# Moves the emulator's authorization-server clock forward. #>
    param([Parameter(Mandatory)] $Emulator, [Parameter(Mandatory)] [int] $Seconds)
    Invoke-EmulatorAdmin $Emulator 'oauth/clock' -Body @{ advanceSeconds = $Seconds }
}

function Get-EmulatorIssuedSecret {
    <# Every code, access token and refresh token the emulator issued, with its status. #>
    param([Parameter(Mandatory)] $Emulator, [ValidateSet('code', 'access_token', 'refresh_token')] [string] $Kind)
    $all = @(Invoke-EmulatorAdmin $Emulator 'oauth/issued' -Method GET | ForEach-Object { $_ })
    if ($Kind) { $all = @($all | Where-Object kind -EQ $Kind) }
    $all
}

function Get-ConsentBrowserCommand {
    <#
        The BROWSER command that plays the user on the emulator's consent page (tests/ConsentBrowser). Invoke-JiraOAuthConsent
        appends the consent URL. -Callback skips the page and loads the redirect URI with that query ({state} = the real state).
        -Forged first loads the redirect URI with that query (a forged callback; its status lands in forgedStatus).
        -AsArgumentList returns the tool and its arguments for dotnet instead of a command line.
    #>
    param(
        [ValidateSet('http', 'chromium')] [string] $Engine = 'http',
        [ValidateSet('accept', 'decline', 'none')] [string] $Action = 'accept',
        [string] $User = 'admin@example.com',
        [string] $Password = $script:Secrets.AdminPassword,
        [string] $Callback,
        [string] $Forged,
        [string] $ResultFile,
        [switch] $NoDeliver,
        [int] $Linger = 5,
        [switch] $AsArgumentList
    )
    $arguments = @((Get-TestToolAssembly ConsentBrowser 'The consent test tool'), '--engine', $Engine, '--action', $Action, '--user', $User, '--password', $Password, '--linger', "$Linger")
    if ($Callback) { $arguments += @('--callback', $Callback) }
    if ($Forged) { $arguments += @('--forged', $Forged) }
    if ($ResultFile) { $arguments += @('--result', $ResultFile) }
    if ($NoDeliver) { $arguments += '--no-deliver' }
    if ($AsArgumentList) { return , $arguments }
    # BROWSER is split into words at white space outside double quotes; a backslash escapes a double quote.
    $words = @('dotnet') + $arguments | ForEach-Object { if ($_ -eq '' -or $_ -match '[\s"]') { '"' + ($_ -replace '"', '\"') + '"' } else { $_ } }
    $words -join ' '
}

function Invoke-ConsentBrowser {
    <# Runs the consent tool on a URL and returns its result (title, text, redirectAddress, error). #>
    param([Parameter(Mandatory)] [string] $Url, [string] $Engine = 'http', [string] $Action = 'accept', [string] $User = 'admin@example.com',
        [string] $Password = $script:Secrets.AdminPassword, [switch] $NoDeliver)
    $result = Join-Path ([System.IO.Path]::GetTempPath()) ("consent-" + [guid]::NewGuid().ToString('n') + '.json')
    $arguments = Get-ConsentBrowserCommand -Engine $Engine -Action $Action -User $User -Password $Password -ResultFile $result -NoDeliver:$NoDeliver -AsArgumentList
    & dotnet @arguments $Url | Out-Null
    try { Get-Content $result -Raw | ConvertFrom-Json } finally { Remove-Item $result -ErrorAction SilentlyContinue }
}

function Read-ConsentResult {
    <# The result the consent tool wrote to -Path. It writes it after the listener answered: wait, with a deadline, until it parses. #>
    param([Parameter(Mandatory)] [string] $Path, [int] $TimeoutSec = 15)
    $read = @{ Result = $null }
    Wait-Until -TimeoutSec $TimeoutSec -What "the consent tool's result in $Path" -Condition {
        if (Test-Path $Path) { try { $read.Result = Get-Content $Path -Raw -ErrorAction Stop | ConvertFrom-Json -ErrorAction Stop } catch { } }
        $null -ne $read.Result
    }
    $read.Result
}

function Get-Median {
    <# The median of some samples (the mean of the two middle ones for an even count). #>
    param([double[]] $Values)
    if ($null -eq $Values -or $Values.Count -eq 0) { throw 'No samples to take a median of.' }
    $sorted = [double[]]($Values | Sort-Object)
    $middle = [int][math]::Floor($sorted.Count / 2)
    if ($sorted.Count % 2) { return $sorted[$middle] }
    ($sorted[$middle - 1] + $sorted[$middle]) / 2
}

. (Join-Path $PSScriptRoot '../Shared/Get-PwshCommand.ps1')

function Invoke-FreshPwsh {
    <#
    Runs a script in a new PowerShell process (optionally with extra environment variables and -NonInteractive)
    and returns its exit code and combined output. Stdin is redirected and closed, as in a runbook.
    -File runs a script file with -Parameters instead; the call travels on stdin, never on the command line.
    #>
    param(
        [Parameter(Mandatory, ParameterSetName = 'Script')] [string] $Script,
        [Parameter(Mandatory, ParameterSetName = 'File')] [string] $File,
        [Parameter(ParameterSetName = 'File')] [System.Collections.IDictionary] $Parameters = @{},
        [hashtable] $Environment = @{},
        [int] $TimeoutSec = 120,
        # Where the child runs; tools that write relative files write them there, not into the repository.
        [string] $WorkingDirectory = [System.IO.Path]::GetTempPath()
    )
    if ($File) {
        $quote = { param([string] $Text) "'" + [System.Management.Automation.Language.CodeGeneration]::EscapeSingleQuotedStringContent($Text) + "'" }
        $Script = (@('&', (& $quote $File)) + @($Parameters.Keys | ForEach-Object { "-$_"; & $quote $Parameters[$_] })) -join ' '
    }
    $pwsh = Get-PwshCommand
    $info = [System.Diagnostics.ProcessStartInfo]::new($pwsh[0])
    $info.WorkingDirectory = $WorkingDirectory
    foreach ($argument in @($pwsh | Select-Object -Skip 1) + @('-NoProfile', '-NonInteractive', '-Command', '-')) { $info.ArgumentList.Add($argument) }
    foreach ($key in $Environment.Keys) {
        if ($null -eq $Environment[$key]) { $null = $info.Environment.Remove($key) } else { $info.Environment[$key] = [string] $Environment[$key] }
    }
    $info.RedirectStandardInput = $true
    $info.RedirectStandardOutput = $true
    $info.RedirectStandardError = $true
    $info.UseShellExecute = $false
    $process = [System.Diagnostics.Process]::Start($info)
    $stdout = $process.StandardOutput.ReadToEndAsync()
    $stderr = $process.StandardError.ReadToEndAsync()
    $process.StandardInput.Write($Script)
    $process.StandardInput.Close()
    if (-not $process.WaitForExit($TimeoutSec * 1000)) { $process.Kill($true); throw "The child pwsh did not finish within $TimeoutSec s." }
    $process.WaitForExit()
    [pscustomobject]@{ ExitCode = $process.ExitCode; Output = $stdout.Result + $stderr.Result }
}

Export-ModuleMember -Function *-*
