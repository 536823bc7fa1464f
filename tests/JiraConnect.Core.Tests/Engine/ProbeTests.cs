#nullable enable
using System;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Threading;
using System.Threading.Tasks;
using AtlassianEmulator;
using JiraConnect.Diagnostics;
using Xunit;

namespace JiraConnect.Core.Tests.Engine;

/// <summary>The direct network checks of a site (DNS, TLS), against real sockets.</summary>
public sealed class ProbeTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(10);

    [Fact]
    public async Task Dns_passes_for_an_address_and_a_resolvable_name_and_fails_for_an_invalid_one()
    {
        var address = await SiteProbe.CheckDnsAsync(new Uri("http://127.0.0.1:8080/"), Timeout, CancellationToken.None);
        var localhost = await SiteProbe.CheckDnsAsync(new Uri("http://localhost/"), Timeout, CancellationToken.None);
        var invalid = await SiteProbe.CheckDnsAsync(new Uri("https://no-such-site.invalid/"), TimeSpan.FromSeconds(5), CancellationToken.None);

        Assert.Equal(nameof(JiraCheckStatus.Pass), address.Status);
        Assert.Contains("no DNS lookup", address.Detail);
        Assert.Equal(nameof(JiraCheckStatus.Pass), localhost.Status);
        Assert.Equal(nameof(JiraCheckStatus.Fail), invalid.Status);
        Assert.Contains("Check the host name", invalid.Remedy);
    }

    [Fact]
    public async Task Plain_http_passes_on_loopback_and_warns_elsewhere_without_connecting()
    {
        var loopback = await SiteProbe.CheckTlsAsync(new Uri("http://127.0.0.1:1/"), false, Timeout, CancellationToken.None);
        var remote = await SiteProbe.CheckTlsAsync(new Uri("http://jira.example.com/"), false, Timeout, CancellationToken.None);

        Assert.Equal(nameof(JiraCheckStatus.Pass), loopback.Status);
        Assert.Equal(nameof(JiraCheckStatus.Warn), remote.Status);
        Assert.Contains("https://", remote.Remedy);
    }

    [Fact]
    public async Task An_untrusted_certificate_fails_and_only_warns_when_the_session_skips_validation()
    {
        using var rsa = RSA.Create(2048);
        var request = new CertificateRequest("CN=jira.test", rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var created = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(90));
        using var certificate = X509CertificateLoader.LoadPkcs12(created.Export(X509ContentType.Pfx), null);
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        var server = Task.Run(async () =>
        {
            for (var i = 0; i < 2; i++)
            {
                using var client = await listener.AcceptTcpClientAsync();
                using var tls = new SslStream(client.GetStream());
                await tls.AuthenticateAsServerAsync(certificate);
            }
        });

        try
        {
            var strict = await SiteProbe.CheckTlsAsync(new Uri($"https://127.0.0.1:{port}/"), false, Timeout, CancellationToken.None);
            var lenient = await SiteProbe.CheckTlsAsync(new Uri($"https://127.0.0.1:{port}/"), true, Timeout, CancellationToken.None);
            await server.WaitAsync(Timeout);

            Assert.Equal(nameof(JiraCheckStatus.Fail), strict.Status);
            Assert.Contains("jira.test", strict.Detail);
            Assert.Contains("not trusted", strict.Detail);
            Assert.Contains("Trust the issuing certificate authority", strict.Remedy);
            Assert.Equal(nameof(JiraCheckStatus.Warn), lenient.Status);
        }
        finally
        {
            listener.Stop();
        }
    }

    [Fact]
    public async Task A_closed_port_fails_the_tls_check_with_a_connection_remedy()
    {
        var port = TestSupport.FreePort();

        var check = await SiteProbe.CheckTlsAsync(new Uri($"https://127.0.0.1:{port}/"), false, Timeout, CancellationToken.None);

        Assert.Equal(nameof(JiraCheckStatus.Fail), check.Status);
        Assert.Contains("Could not open a TCP connection", check.Detail);
    }
}
