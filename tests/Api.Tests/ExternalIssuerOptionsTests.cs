using System.Security.Claims;
using AgentSilo.Api.Auth;
using AgentSilo.Api.Auth.External;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Hosting.Internal;
using Microsoft.Extensions.Options;

namespace AgentSilo.Api.Tests;

/// <summary>Start-up checks of Auth:External:&lt;name&gt; and the claim mapping rules, without a provider.</summary>
public sealed class ExternalIssuerOptionsTests
{
    private static ValidateOptionsResult Validate(ExternalIssuerOptions options, string environment = "Production") =>
        new ExternalIssuerOptionsValidator(
                new HostingEnvironment { EnvironmentName = environment },
                Options.Create(new AuthOptions { Issuer = "https://api.example.com" }))
            .Validate("corp", options);

    private static ExternalIssuerOptions Valid() => new()
    {
        Authority = "https://login.example.com/corp",
        Audience = "https://api.example.com",
        RoleMap = { ["ops"] = "admin" },
    };

    [Fact]
    public void A_complete_https_provider_is_accepted()
    {
        Assert.True(Validate(Valid()).Succeeded);
    }

    public static TheoryData<string, string> BadSettings => new()
    {
        { "http-authority", "use https" },
        { "plain-http-metadata-off-site", "RequireHttpsMetadata may be false only" },
        { "own-issuer", "must not be this API's own Auth:Issuer" },
        { "no-audience", "Audience is required" },
        { "unknown-role", "RoleMap:ops must be one of" },
        { "unknown-default", "DefaultRole must be one of" },
        { "hmac", "Algorithms may name only" },
        { "none-alg", "Algorithms may name only" },
    };

    [Theory]
    [MemberData(nameof(BadSettings))]
    public void A_bad_setting_stops_the_service_naming_it(string kind, string message)
    {
        var options = Valid();
        switch (kind)
        {
            case "http-authority": options.Authority = "http://login.example.com/corp"; break;
            case "plain-http-metadata-off-site": options.Authority = "http://login.example.com"; options.RequireHttpsMetadata = false; break;
            case "own-issuer": options.Authority = "https://api.example.com"; break;
            case "no-audience": options.Audience = " "; break;
            case "unknown-role": options.RoleMap["ops"] = "root"; break;
            case "unknown-default": options.DefaultRole = "superuser"; break;
            case "hmac": options.Algorithms = ["HS256"]; break;
            default: options.Algorithms = ["none"]; break;
        }

        var result = Validate(options);

        Assert.True(result.Failed);
        Assert.Contains(message, result.FailureMessage);
        Assert.Contains("Auth:External:corp", result.FailureMessage);
    }

    [Fact]
    public void Plain_http_metadata_is_allowed_on_loopback_and_in_development()
    {
        var loopback = Valid();
        loopback.Authority = "http://127.0.0.1:8080";
        loopback.RequireHttpsMetadata = false;
        Assert.True(Validate(loopback).Succeeded);

        var development = Valid();
        development.Authority = "http://idp.local";
        development.RequireHttpsMetadata = false;
        Assert.True(Validate(development, Environments.Development).Succeeded);
        Assert.True(Validate(development).Failed);
    }

    [Fact]
    public void Scopes_are_the_tokens_within_the_roles_and_all_the_roles_allow_without_a_scope_claim()
    {
        var options = new ExternalIssuerOptions { ScopeClaim = "scp" };
        string[] userScopes = ["chatbot:read", "chatbot:write"];

        var asArray = Token(("scp", "chatbot:read"), ("scp", "admin openid"));
        Assert.Equal(["chatbot:read"], ExternalClaimMapping.Scopes(asArray, options, userScopes));
        Assert.Equal(userScopes, ExternalClaimMapping.Scopes(Token(), options, userScopes));
        Assert.Empty(ExternalClaimMapping.Scopes(Token(("scp", "openid profile")), options, userScopes));
    }

    [Fact]
    public void Roles_come_from_every_mapped_value_else_the_default_role()
    {
        var options = new ExternalIssuerOptions { RoleClaim = "groups", RoleMap = { ["staff"] = "user", ["ops"] = "admin" } };

        Assert.Equal(["user", "admin"], ExternalClaimMapping.Roles(Token(("groups", "ops"), ("groups", "staff")), options));
        Assert.Equal(["user"], ExternalClaimMapping.Roles(Token(("groups", "Ops")), options));
        options.DefaultRole = ExternalIssuerOptions.NoRole;
        Assert.Empty(ExternalClaimMapping.Roles(Token(("groups", "visitors")), options));
    }

    [Fact]
    public void An_external_username_can_never_be_a_local_username()
    {
        var options = new ExternalIssuerOptions();
        var username = ExternalClaimMapping.Username("corp", Token(("preferred_username", "alice\r\n<script>")), options, "sub-1");
        Assert.Equal("corp:alicescript", username);
        Assert.Equal("corp:sub-1", ExternalClaimMapping.Username("corp", Token(), options, "sub-1"));
    }

    private static ClaimsPrincipal Token(params (string Type, string Value)[] claims) =>
        new(new ClaimsIdentity(claims.Select(claim => new Claim(claim.Type, claim.Value)), "test"));
}

/// <summary>The policy scheme's choice: by the unvalidated iss, only among configured issuers.</summary>
public sealed class ExternalIssuerSchemesTests
{
    private static readonly ExternalIssuerSchemes Schemes = Build(("alpha", "https://a.example.com"), ("beta", "https://b.example.com"));

    public static TheoryData<string?, string?> Requests => new()
    {
        { $"Bearer {Unsigned("https://a.example.com")}", "external:alpha" },
        { $"bearer {Unsigned("https://b.example.com")}", "external:beta" },
        { $"Bearer {Unsigned("https://a.example.com/")}", null },
        { $"Bearer {Unsigned("http://api.test")}", null },
        { "Bearer not-a-jwt", null },
        { "Bearer e30.e30.", null },
        { $"Bearer {Raw("""{"iss":5}""")}", null },
        { $"Bearer {Raw("""{"iss":["https://a.example.com"]}""")}", null },
        { $"Bearer {Raw("""{"iss":"https://a.example.com","iss":"https://b.example.com"}""")}", "external:beta" },
        { $"Basic {Unsigned("https://a.example.com")}", null },
        { null, null },
    };

    [Theory]
    [MemberData(nameof(Requests))]
    public void The_scheme_is_chosen_by_exact_issuer_and_anything_else_goes_to_the_local_scheme(string? authorization, string? expected)
    {
        var context = new DefaultHttpContext();
        if (authorization is not null)
        {
            context.Request.Headers.Authorization = authorization;
        }

        Assert.Equal(expected, Schemes.ExternalSchemeFor(context.Request));
    }

    [Fact]
    public void Two_providers_with_one_authority_stop_the_service()
    {
        var failure = Assert.Throws<OptionsValidationException>(() => Build(("one", "https://a.example.com"), ("two", "https://a.example.com")));
        Assert.Contains("configured for two providers", failure.Message);
    }

    private static ExternalIssuerSchemes Build(params (string Name, string Authority)[] providers)
    {
        var services = new ServiceCollection();
        foreach (var (name, authority) in providers)
        {
            services.Configure<ExternalIssuerOptions>(name, options => options.Authority = authority);
        }

        var monitor = services.BuildServiceProvider().GetRequiredService<IOptionsMonitor<ExternalIssuerOptions>>();
        return new ExternalIssuerSchemes(providers.Select(p => p.Name), monitor);
    }

    private static string Unsigned(string issuer) => Raw($$"""{"iss":"{{issuer}}","sub":"x"}""");

    private static string Raw(string payload) =>
        $"{Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode("""{"alg":"none","typ":"at+jwt"}""")}." +
        $"{Microsoft.IdentityModel.Tokens.Base64UrlEncoder.Encode(payload)}.";
}
