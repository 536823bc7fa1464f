# Shared helpers for the Pester suites: the built module's path, the emulator's life cycle and its admin API,
# and the seeded credentials (documented in tests/AtlassianEmulator/README.md).

$script:Root = Resolve-Path (Join-Path $PSScriptRoot '../..')

function Get-JiraConnectModulePath {
    Join-Path $script:Root 'out/JiraConnect/JiraConnect.psd1'
}

function Get-EmulatorAssembly {
    $candidates = foreach ($configuration in 'Release', 'Debug') {
        Get-Item (Join-Path $script:Root "tests/AtlassianEmulator/bin/$configuration/net10.0/AtlassianEmulator.dll") -ErrorAction SilentlyContinue
    }
    $newest = $candidates | Sort-Object LastWriteTimeUtc -Descending | Select-Object -First 1
    if (-not $newest) { throw 'The emulator is not built: run ./build.ps1 -Task Build first.' }
    $newest.FullName
}

function Start-JiraEmulator {
    <# Starts the emulator on 127.0.0.1 with a free port and waits (with a deadline) for its ready line. #>
    param(
        [ValidateSet('cloud', 'datacenter')] [string] $Flavor = 'cloud',
        [int] $Projects = 25,
        [int] $Issues = -1,
        [int] $TimeoutSec = 60
    )
    $dotnet = (Get-Command dotnet -CommandType Application | Select-Object -First 1).Source
    $info = [System.Diagnostics.ProcessStartInfo]::new($dotnet)
    foreach ($argument in @((Get-EmulatorAssembly), '--port', '0', '--projects', "$Projects", '--flavor', $Flavor)) { $info.ArgumentList.Add($argument) }
    if ($Issues -ge 0) { $info.ArgumentList.Add('--issues'); $info.ArgumentList.Add("$Issues") }
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
        [Parameter(Mandatory)] [ValidateSet('status', 'delay', 'drop', 'malformedJson', 'html')] [string] $Kind,
        [string] $Path,
        [string] $Method,
        [int] $Status,
        [int] $RetryAfter = -1,
        [int] $DelayMs,
        [int] $Times = 1,
        [int] $After = 0
    )
    $fault = @{ kind = $Kind; times = $Times; after = $After }
    if ($Path) { $fault.path = $Path }
    if ($Method) { $fault.method = $Method }
    if ($Status) { $fault.status = $Status }
    if ($RetryAfter -ge 0) { $fault.retryAfter = $RetryAfter }
    if ($DelayMs) { $fault.delayMs = $DelayMs }
    Invoke-EmulatorAdmin $Emulator 'faults' -Body $fault
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
    $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSec)
    do {
        $audit = @(Invoke-EmulatorAdmin $Emulator 'automation/audit' -Method GET | ForEach-Object { $_ })
        if ($audit.Count -ge $Count) { return , $audit }
    } while ([DateTime]::UtcNow -lt $deadline)
    throw "The audit log has $($audit.Count) of $Count entries after $TimeoutSec s."
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
    DataCenterAdminPat  = 'NjQ4MzE-emu-pat-admin-R8sK2wQ5vX'
    WrongToken          = 'ATATT3xFfGF0-wrong-token-J9kL0pA1'
    ListenerToken       = 'mw-listener-Xq7Lp2Vz9Rt4Kd6'
    WebhookSecret       = 'whsec-Hn3Jd8Qw5Zt1Mc'
}

function Get-TestSecret { param([string] $Name) if ($Name) { $script:Secrets[$Name] } else { $script:Secrets } }

function New-TestCredential {
    param([Parameter(Mandatory)] [string] $UserName, [Parameter(Mandatory)] [string] $Secret)
    [pscredential]::new($UserName, (ConvertTo-SecureString $Secret -AsPlainText -Force))
}

function Get-CloudAdminCredential { New-TestCredential 'admin@example.com' $script:Secrets.CloudAdminToken }
function Get-DataCenterAdminCredential { New-TestCredential 'admin' $script:Secrets.AdminPassword }

function Get-PwshCommand {
    <# A fresh PowerShell process of the same kind as this one: executable plus leading arguments. #>
    $process = [System.Diagnostics.Process]::GetCurrentProcess().MainModule.FileName
    if ([System.IO.Path]::GetFileNameWithoutExtension($process) -eq 'dotnet') { return , @($process, (Join-Path $PSHOME 'pwsh.dll')) }
    , @($process)
}

function Invoke-FreshPwsh {
    <#
    Runs a script in a new PowerShell process (optionally with extra environment variables and -NonInteractive)
    and returns its exit code and combined output. Stdin is redirected and closed, as in a runbook.
    #>
    param(
        [Parameter(Mandatory)] [string] $Script,
        [hashtable] $Environment = @{},
        [int] $TimeoutSec = 120,
        # Where the child runs; tools that write relative files write them there, not into the repository.
        [string] $WorkingDirectory = [System.IO.Path]::GetTempPath()
    )
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
    if (-not $process.WaitForExit($TimeoutSec * 1000)) { $process.Kill(); throw "The child pwsh did not finish within $TimeoutSec s." }
    $process.WaitForExit()
    [pscustomobject]@{ ExitCode = $process.ExitCode; Output = $stdout.Result + $stderr.Result }
}

Export-ModuleMember -Function *-*
