using System.Net;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using AgentSilo.Security.Infrastructure;
using AgentSilo.Testing;

namespace AgentSilo.Security;

/// <summary>
/// Outside Development the API redirects HTTP to HTTPS and sends HSTS (RFC 6797). A second API process in Production
/// joins the stack's cluster, listening on HTTP and on HTTPS with a certificate made here.
/// </summary>
[Collection(SecurityStackCollection.Name)]
public sealed class HttpsTests(SecurityStackFixture fixture)
{
    private const string PublicHost = "api.agentsilo.test";

    [Fact]
    public async Task Outside_development_http_redirects_to_https_and_https_answers_carry_hsts()
    {
        var ports = FreePorts.Take(2);
        var (httpPort, httpsPort) = (ports[0], ports[1]);
        var pfxPath = Path.Combine(Path.GetTempPath(), $"agentsilo-tls-{Guid.NewGuid():N}.pfx");
        using var certificate = CreateCertificate();
        await File.WriteAllBytesAsync(pfxPath, certificate.Export(X509ContentType.Pfx, "test"));
        var api = fixture.Stack.StartAnotherApi(new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{httpPort};https://127.0.0.1:{httpsPort}",
            ["Urls"] = $"http://127.0.0.1:{httpPort};https://127.0.0.1:{httpsPort}",
            ["Kestrel__Certificates__Default__Path"] = pfxPath,
            ["Kestrel__Certificates__Default__Password"] = "test",
            ["Https__Port"] = httpsPort.ToString(),
        });
        try
        {
            using var handler = new HttpClientHandler
            {
                AllowAutoRedirect = false,
                ServerCertificateCustomValidationCallback = (_, presented, _, _) => presented?.Thumbprint == certificate.Thumbprint,
            };
            using var client = new HttpClient(handler) { Timeout = TimeSpan.FromSeconds(30) };
            await WaitUntilReadyAsync(client, api, $"https://127.0.0.1:{httpsPort}/health/ready");

            using var plain = new HttpRequestMessage(HttpMethod.Get, $"http://127.0.0.1:{httpPort}/threads?limit=5");
            plain.Headers.Host = $"{PublicHost}:{httpPort}";
            var redirect = await client.SendAsync(plain);
            Assert.Equal(HttpStatusCode.TemporaryRedirect, redirect.StatusCode);
            Assert.Equal($"https://{PublicHost}:{httpsPort}/threads?limit=5", redirect.Headers.Location?.ToString());
            Assert.False(redirect.Headers.Contains("Strict-Transport-Security"));

            using var secure = new HttpRequestMessage(HttpMethod.Get, $"https://127.0.0.1:{httpsPort}/threads");
            secure.Headers.Host = PublicHost;
            var answer = await client.SendAsync(secure);
            Assert.Equal(HttpStatusCode.Unauthorized, answer.StatusCode);
            Assert.Equal("max-age=31536000; includeSubDomains", Assert.Single(answer.Headers.GetValues("Strict-Transport-Security")));
            Assert.Equal("nosniff", Assert.Single(answer.Headers.GetValues("X-Content-Type-Options")));
        }
        finally
        {
            File.Delete(pfxPath);
        }
    }

    [Fact]
    public async Task Outside_development_an_api_with_no_https_address_stops_instead_of_serving_plain_http()
    {
        var httpPort = FreePorts.Next();
        var api = fixture.Stack.StartAnotherApi(new Dictionary<string, string?>
        {
            ["ASPNETCORE_ENVIRONMENT"] = "Production",
            ["DOTNET_ENVIRONMENT"] = "Production",
            ["ASPNETCORE_URLS"] = $"http://127.0.0.1:{httpPort}",
            ["Urls"] = $"http://127.0.0.1:{httpPort}",
        });

        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (!api.HasExited && DateTime.UtcNow < deadline)
        {
            await Task.Delay(250);
        }

        Assert.True(api.HasExited, $"the API kept running on plain HTTP{Environment.NewLine}{api.Tail(40)}");
        Assert.Contains("HTTPS is enforced", api.Tail(200), StringComparison.Ordinal);
    }

    [Fact]
    public async Task In_development_plain_http_is_served_without_hsts()
    {
        var api = fixture.NewApi();
        using var request = new HttpRequestMessage(HttpMethod.Get, "/health/live");
        request.Headers.Host = PublicHost;
        var response = await api.Client.SendAsync(request);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.False(response.Headers.Contains("Strict-Transport-Security"));
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest($"CN={PublicHost}", key, HashAlgorithmName.SHA256);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName(PublicHost);
        names.AddIpAddress(IPAddress.Loopback);
        request.CertificateExtensions.Add(names.Build());
        request.CertificateExtensions.Add(new X509EnhancedKeyUsageExtension([new Oid("1.3.6.1.5.5.7.3.1")], critical: false));
        return request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(7));
    }

    private static async Task WaitUntilReadyAsync(HttpClient client, ProcessHost api, string url)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromMinutes(2);
        while (DateTime.UtcNow < deadline)
        {
            Assert.False(api.HasExited, api.Tail());
            try
            {
                if ((await client.GetAsync(url)).IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            await Task.Delay(250);
        }

        throw new TimeoutException($"The production API did not get ready.{Environment.NewLine}{api.Tail()}");
    }
}
