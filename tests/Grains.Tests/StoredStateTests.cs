using System.Text;
using AgentSilo.Access;
using AgentSilo.Users;
using Azure.Data.Tables;

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

        var stored = await ReadGrainStateAsync(registration.UserId!);

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

        var stored = await ReadGrainStateAsync(registration.UserId!);

        Assert.Contains(created.Key.Id, stored);
        Assert.DoesNotContain(created.Secret, stored);
    }

    /// <summary>The serialized state of the user grain, straight from Orleans' grain-state table.</summary>
    private async Task<string> ReadGrainStateAsync(string userId)
    {
        var table = new TableServiceClient(fixture.StorageConnectionString).GetTableClient("OrleansGrainState");
        await foreach (var entity in table.QueryAsync<TableEntity>())
        {
            if (!entity.RowKey.Contains(userId, StringComparison.Ordinal) && !entity.PartitionKey.Contains(userId, StringComparison.Ordinal))
            {
                continue;
            }

            var text = new StringBuilder();
            foreach (var (key, value) in entity)
            {
                text.Append(key).Append('=').Append(value switch
                {
                    byte[] bytes => Encoding.UTF8.GetString(bytes),
                    BinaryData data => data.ToString(),
                    _ => value?.ToString(),
                }).Append('\n');
            }

            return text.ToString();
        }

        throw new InvalidOperationException("The user's grain state was not found in storage.");
    }
}
