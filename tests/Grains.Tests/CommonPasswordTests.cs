using AgentSilo.Access;
using AgentSilo.Grains.Users;
using AgentSilo.Silo;
using AgentSilo.Users;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace AgentSilo.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class CommonPasswordTests(ClusterFixture fixture)
{
    [Theory]
    [InlineData("password1234")]
    [InlineData("  Password1234 ")]
    [InlineData("qwertyuiop123")]
    public async Task Registration_refuses_a_password_from_the_shipped_list(string password)
    {
        Assert.True(CommonPasswords.Count > 300);
        var name = Callers.NewUsername();
        var error = await Assert.ThrowsAsync<ValidationFailedException>(() =>
            fixture.Client.GetGrain<IUsernameGrain>(name).RegisterAsync(new NewAccount(name, password, null, [AccessRoles.User])));
        Assert.Contains("commonly used", error.Message);
        Assert.Null(await fixture.Client.GetGrain<IUsernameGrain>(name).GetUserIdAsync());
    }

    [Fact]
    public void The_silo_refuses_to_start_with_a_common_bootstrap_password()
    {
        var builder = Host.CreateApplicationBuilder(new HostApplicationBuilderSettings { EnvironmentName = "Development" });
        builder.Configuration.AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Bootstrap:AdminUsername"] = "root",
            ["Bootstrap:AdminPassword"] = "administrator",
        });
        builder.AddAgentSiloSilo();
        using var host = builder.Build();

        var error = Assert.Throws<OptionsValidationException>(() => host.Services.GetRequiredService<IOptions<BootstrapOptions>>().Value);
        Assert.Contains("Bootstrap:AdminPassword", error.Message);
    }
}
