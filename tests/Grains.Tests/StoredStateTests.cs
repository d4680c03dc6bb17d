using AgentSilo.Access;
using AgentSilo.Users;

namespace AgentSilo.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class StoredStateTests(ClusterFixture fixture)
{
    private const string Password = "a password nobody guesses";

    [Fact]
    public async Task The_stored_user_holds_a_600000_iteration_hash_and_never_the_password()
    {
        var name = Callers.NewUsername();
        var registration = await fixture.Client.GetGrain<IUsernameGrain>(name).RegisterAsync(new NewAccount(name, Password, null, [AccessRoles.User]));
        var session = await fixture.Client.GetGrain<IUserGrain>(registration.UserId!).SignInAsync(Password, null);

        var stored = await StoredGrainState.ReadAsync(fixture.StorageConnectionString, "user", registration.UserId!);

        Assert.Contains("pbkdf2-sha256$600000$", stored);
        Assert.DoesNotContain(Password, stored);
        Assert.DoesNotContain(session.RefreshSecret!, stored);
    }
}
