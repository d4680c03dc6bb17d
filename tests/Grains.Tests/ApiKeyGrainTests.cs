using AgentSilo.Access;
using AgentSilo.Users;

namespace AgentSilo.Grains.Tests;

/// <summary>API keys in the user grain, on the cluster's movable clock.</summary>
[Collection(ClusterCollection.Name)]
public sealed class ApiKeyGrainTests(ClusterFixture fixture)
{
    private const string Password = "a key holder's password";

    private static readonly string[] ReadOnly = [AccessScopes.Read];

    [Fact]
    public async Task A_key_is_admitted_until_its_expiry_and_refused_after_it()
    {
        var (caller, keys) = await NewUserAsync();
        var created = await keys.CreateApiKeyAsync(caller, new NewApiKey("short", ReadOnly, fixture.Clock.GetUtcNow().AddMinutes(5)));

        Assert.Equal(AdmissionStatus.Allowed, (await keys.AdmitApiKeyAsync(created.Key.Id, created.Secret, false)).Admission.Status);
        fixture.Clock.Advance(TimeSpan.FromMinutes(5));

        var after = await keys.AdmitApiKeyAsync(created.Key.Id, created.Secret, false);
        Assert.Equal(AdmissionStatus.Unauthenticated, after.Admission.Status);
        Assert.Null(after.User);
        Assert.Empty(await keys.ListApiKeysAsync(caller));
    }

    [Fact]
    public async Task Last_use_is_recorded_at_most_once_a_minute()
    {
        var (caller, keys) = await NewUserAsync();
        var created = await keys.CreateApiKeyAsync(caller, new NewApiKey("busy", ReadOnly, null));
        Assert.Null(created.Key.LastUsedAt);

        await keys.AdmitApiKeyAsync(created.Key.Id, created.Secret, true);
        var first = Assert.Single(await keys.ListApiKeysAsync(caller)).LastUsedAt;
        fixture.Clock.Advance(TimeSpan.FromSeconds(30));
        await keys.AdmitApiKeyAsync(created.Key.Id, created.Secret, true);
        Assert.Equal(first, Assert.Single(await keys.ListApiKeysAsync(caller)).LastUsedAt);

        fixture.Clock.Advance(TimeSpan.FromSeconds(31));
        await keys.AdmitApiKeyAsync(created.Key.Id, created.Secret, true);
        Assert.True(Assert.Single(await keys.ListApiKeysAsync(caller)).LastUsedAt > first);
    }

    [Fact]
    public async Task A_wrong_secret_or_a_disabled_owner_is_refused()
    {
        var (caller, keys) = await NewUserAsync();
        var created = await keys.CreateApiKeyAsync(caller, new NewApiKey("k", ReadOnly, null));

        Assert.Equal(AdmissionStatus.Unauthenticated, (await keys.AdmitApiKeyAsync(created.Key.Id, created.Secret + "x", false)).Admission.Status);
        await fixture.Client.GetGrain<IUserGrain>(caller.UserId).SetDisabledAsync(Callers.NewAdmin(), disabled: true);
        Assert.Equal(AdmissionStatus.Unauthenticated, (await keys.AdmitApiKeyAsync(created.Key.Id, created.Secret, false)).Admission.Status);
    }

    [Fact]
    public async Task Only_the_owner_with_a_token_manages_keys()
    {
        var (caller, keys) = await NewUserAsync();
        var created = await keys.CreateApiKeyAsync(caller, new NewApiKey("k", ReadOnly, null));
        var viaKey = caller with { AuthMethod = AuthMethods.ApiKey };
        var stranger = Callers.NewUser();

        await Assert.ThrowsAsync<ForbiddenException>(() => keys.CreateApiKeyAsync(viaKey, new NewApiKey("child", ReadOnly, null)));
        await Assert.ThrowsAsync<ForbiddenException>(() => keys.ListApiKeysAsync(viaKey));
        await Assert.ThrowsAsync<ForbiddenException>(() => keys.RevokeApiKeyAsync(viaKey, created.Key.Id));
        await Assert.ThrowsAsync<ForbiddenException>(() => keys.CreateApiKeyAsync(stranger, new NewApiKey("theirs", ReadOnly, null)));
        await Assert.ThrowsAsync<ForbiddenException>(() => keys.RevokeApiKeyAsync(stranger, created.Key.Id));
        Assert.Single(await keys.ListApiKeysAsync(caller));
    }

    [Theory]
    [InlineData("admin")]
    [InlineData("chatbot:write")]
    [InlineData("")]
    public async Task Scopes_beyond_the_callers_token_or_admin_are_refused(string scope)
    {
        var (caller, keys) = await NewUserAsync();
        var reader = caller with { Scopes = ReadOnly };
        string[] scopes = scope.Length == 0 ? [] : [scope];

        await Assert.ThrowsAsync<ValidationFailedException>(() => keys.CreateApiKeyAsync(reader, new NewApiKey("k", scopes, null)));
        Assert.Empty(await keys.ListApiKeysAsync(caller));
    }

    private async Task<(Caller Caller, IUserApiKeys Keys)> NewUserAsync()
    {
        var name = Callers.NewUsername();
        var registration = await fixture.Client.GetGrain<IUsernameGrain>(name)
            .RegisterAsync(new NewAccount(name, Password, null, [AccessRoles.User]));
        var caller = new Caller(registration.UserId!, name, [AccessRoles.User], [AccessScopes.Read, AccessScopes.Write], AuthMethods.Bearer);
        return (caller, fixture.Client.GetGrain<IUserApiKeys>(registration.UserId!));
    }
}
