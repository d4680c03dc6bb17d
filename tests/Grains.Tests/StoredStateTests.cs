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

    [Fact]
    public async Task A_stored_api_key_is_its_hash_and_never_its_secret()
    {
        var name = Callers.NewUsername();
        var registration = await fixture.Client.GetGrain<IUsernameGrain>(name).RegisterAsync(new NewAccount(name, Password, null, [AccessRoles.User]));
        var caller = new Caller(registration.UserId!, name, [AccessRoles.User], [AccessScopes.Read], AuthMethods.Bearer);
        var created = await fixture.Client.GetGrain<IUserApiKeys>(registration.UserId!)
            .CreateApiKeyAsync(caller, new NewApiKey("stored", [AccessScopes.Read], null));

        var stored = await StoredGrainState.ReadAsync(fixture.StorageConnectionString, "user", registration.UserId!);

        Assert.Contains(created.Key.Id, stored);
        Assert.DoesNotContain(created.Secret, stored);
    }
}
