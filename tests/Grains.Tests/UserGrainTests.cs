using AgentSilo.Access;
using AgentSilo.Admin;
using AgentSilo.Users;

namespace AgentSilo.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class UserGrainTests(ClusterFixture fixture)
{
    private const string Password = "correct horse battery";

    private IGrainFactory Grains => fixture.Client;

    [Fact]
    public async Task A_registered_name_is_taken_in_any_case()
    {
        var name = Callers.NewUsername();

        var first = await RegisterAsync(name);
        var second = await Grains.GetGrain<IUsernameGrain>(name).RegisterAsync(new NewAccount(name.ToUpperInvariant(), Password + "x", null, [AccessRoles.User]));

        Assert.True(first.Created);
        Assert.False(second.Created);
        Assert.Equal(first.UserId, await Grains.GetGrain<IUsernameGrain>(name).GetUserIdAsync());
        var profile = await Grains.GetGrain<IUserGrain>(first.UserId!).GetProfileAsync();
        Assert.Equal(name, profile!.Username);
        Assert.Equal([AccessRoles.User], profile.Roles);
    }

    [Theory]
    [InlineData("ab", Password)]
    [InlineData("has space", Password)]
    [InlineData("ünïcode", Password)]
    [InlineData("valid.name", "too-short")]
    public async Task Registration_rejects_names_and_passwords_that_break_the_rules(string username, string password)
    {
        var key = username.Trim().ToLowerInvariant();

        await Assert.ThrowsAsync<ValidationFailedException>(() =>
            Grains.GetGrain<IUsernameGrain>(key).RegisterAsync(new NewAccount(username, password, null, [AccessRoles.User])));
    }

    [Fact]
    public async Task Wrong_password_and_unknown_user_get_the_same_invalid_answer()
    {
        var name = Callers.NewUsername();
        await RegisterAsync(name);

        var wrongPassword = await Grains.GetGrain<IUsernameGrain>(name).SignInAsync("not the password!", null);
        var unknownUser = await Grains.GetGrain<IUsernameGrain>(Callers.NewUsername()).SignInAsync(Password, null);

        Assert.Equal(SignInResult.Invalid, wrongPassword);
        Assert.Equal(SignInResult.Invalid, unknownUser);
    }

    [Fact]
    public async Task Sign_in_grants_all_role_scopes_by_default_and_refuses_scopes_beyond_the_role()
    {
        var name = Callers.NewUsername();
        await RegisterAsync(name);

        var all = await Grains.GetGrain<IUsernameGrain>(name).SignInAsync(Password, null);
        var narrowed = await Grains.GetGrain<IUsernameGrain>(name).SignInAsync(Password, [AccessScopes.Read]);
        var tooWide = await Grains.GetGrain<IUsernameGrain>(name).SignInAsync(Password, [AccessScopes.Admin]);

        Assert.Equal(SignInStatus.Succeeded, all.Status);
        Assert.Equal([AccessScopes.Read, AccessScopes.Write], all.Scopes!);
        Assert.NotNull(all.RefreshSecret);
        Assert.Equal([AccessScopes.Read], narrowed.Scopes!);
        Assert.Equal(SignInStatus.InvalidScope, tooWide.Status);
    }

    [Fact]
    public async Task Refresh_rotates_the_secret_and_reusing_an_old_one_ends_the_session()
    {
        var (user, session) = await SignedInUserAsync();

        var rotated = await user.RefreshAsync(session.SessionId!, session.RefreshSecret!, null);
        var replayed = await user.RefreshAsync(session.SessionId!, session.RefreshSecret!, null);
        var afterReplay = await user.RefreshAsync(session.SessionId!, rotated.RefreshSecret!, null);
        var admission = await user.AdmitAsync(session.SessionId!, takeQuotaToken: false);

        Assert.Equal(SignInStatus.Succeeded, rotated.Status);
        Assert.NotEqual(session.RefreshSecret, rotated.RefreshSecret);
        Assert.Equal(session.SessionId, rotated.SessionId);
        Assert.Equal(SignInStatus.InvalidCredentials, replayed.Status);
        Assert.Equal(SignInStatus.InvalidCredentials, afterReplay.Status);
        Assert.Equal(AdmissionStatus.Unauthenticated, admission.Status);
    }

    [Fact]
    public async Task Refresh_may_narrow_scopes_but_not_widen_them()
    {
        var (user, session) = await SignedInUserAsync([AccessScopes.Read]);

        var wider = await user.RefreshAsync(session.SessionId!, session.RefreshSecret!, [AccessScopes.Write]);
        var same = await user.RefreshAsync(session.SessionId!, session.RefreshSecret!, [AccessScopes.Read]);

        Assert.Equal(SignInStatus.InvalidScope, wider.Status);
        Assert.Equal(SignInStatus.Succeeded, same.Status);
        Assert.Equal([AccessScopes.Read], same.Scopes!);
    }

    [Fact]
    public async Task A_revoked_session_and_all_ended_sessions_are_no_longer_admitted()
    {
        var (user, first) = await SignedInUserAsync();
        var second = await user.SignInAsync(Password, null);
        var third = await user.SignInAsync(Password, null);

        await user.RevokeSessionAsync(first.SessionId!, "not-the-secret");
        var afterWrongRevoke = await user.AdmitAsync(first.SessionId!, false);
        await user.RevokeSessionAsync(first.SessionId!, first.RefreshSecret!);
        var afterRevoke = await user.AdmitAsync(first.SessionId!, false);
        var otherSession = await user.AdmitAsync(second.SessionId!, false);
        await user.EndAllSessionsAsync();

        Assert.Equal(AdmissionStatus.Allowed, afterWrongRevoke.Status);
        Assert.Equal(AdmissionStatus.Unauthenticated, afterRevoke.Status);
        Assert.Equal(AdmissionStatus.Allowed, otherSession.Status);
        Assert.Equal(AdmissionStatus.Unauthenticated, (await user.AdmitAsync(second.SessionId!, false)).Status);
        Assert.Equal(AdmissionStatus.Unauthenticated, (await user.AdmitAsync(third.SessionId!, false)).Status);
        Assert.Equal(SignInStatus.InvalidCredentials, (await user.RefreshAsync(third.SessionId!, third.RefreshSecret!, null)).Status);
    }

    [Fact]
    public async Task A_disabled_user_is_refused_at_once_and_after_enabling_signs_in_afresh_with_no_old_session_back()
    {
        var (user, session) = await SignedInUserAsync();
        var admin = Callers.NewAdmin("abuse report 42");

        await user.SetDisabledAsync(admin, true);
        var whileDisabled = await user.AdmitAsync(session.SessionId!, true);
        var signInWhileDisabled = await user.SignInAsync(Password, null);
        await user.SetDisabledAsync(admin, false);
        var oldSessionAfterEnable = await user.AdmitAsync(session.SessionId!, true);
        var oldRefreshAfterEnable = await user.RefreshAsync(session.SessionId!, session.RefreshSecret!, null);
        var freshSignIn = await user.SignInAsync(Password, null);

        Assert.Equal(AdmissionStatus.Unauthenticated, whileDisabled.Status);
        Assert.Equal(SignInResult.Invalid, signInWhileDisabled);
        Assert.Equal(AdmissionStatus.Unauthenticated, oldSessionAfterEnable.Status);
        Assert.Equal(SignInResult.Invalid, oldRefreshAfterEnable);
        Assert.Equal(SignInStatus.Succeeded, freshSignIn.Status);
        Assert.Equal(AdmissionStatus.Allowed, (await user.AdmitAsync(freshSignIn.SessionId!, true)).Status);
        var audit = await Grains.GetGrain<IAuditGrain>(0).ListAsync(admin, admin.UserId, null, null, 10);
        Assert.Equal([AuditActions.UserEnable, AuditActions.UserDisable], audit.Items.Select(r => r.Action));
        Assert.All(audit.Items, r => Assert.Equal("abuse report 42", r.Reason));
        Assert.All(audit.Items, r => Assert.Equal(user.GetPrimaryKeyString(), r.OwnerId));
    }

    [Fact]
    public async Task An_admin_cannot_disable_their_own_account()
    {
        var name = Callers.NewUsername();
        var registration = await Grains.GetGrain<IUsernameGrain>(name).RegisterAsync(new NewAccount(name, Password, null, [AccessRoles.Admin]));
        var adminGrain = Grains.GetGrain<IUserGrain>(registration.UserId!);
        var self = Callers.NewAdmin() with { UserId = registration.UserId! };

        await Assert.ThrowsAsync<ConflictException>(() => adminGrain.SetDisabledAsync(self, true));

        Assert.False((await adminGrain.GetProfileAsync())!.Disabled);
    }

    [Fact]
    public async Task Only_an_admin_may_disable_a_user()
    {
        var (user, _) = await SignedInUserAsync();
        var narrowedAdmin = Callers.NewAdmin() with { Scopes = [AccessScopes.Read, AccessScopes.Write] };

        await Assert.ThrowsAsync<ForbiddenException>(() => user.SetDisabledAsync(Callers.NewUser(), true));
        await Assert.ThrowsAsync<ForbiddenException>(() => user.SetDisabledAsync(narrowedAdmin, true));
        Assert.False((await user.GetProfileAsync())!.Disabled);
    }

    [Fact]
    public async Task The_request_bucket_empties_at_capacity_and_refills_with_time()
    {
        var (user, session) = await SignedInUserAsync();

        var allowed = new List<Admission>();
        for (var i = 0; i < ClusterFixture.QuotaCapacity; i++)
        {
            allowed.Add(await user.AdmitAsync(session.SessionId!, true));
        }

        var refused = await user.AdmitAsync(session.SessionId!, true);
        fixture.Clock.Advance(TimeSpan.FromSeconds(1 / ClusterFixture.QuotaRefillPerSecond));
        var afterRefill = await user.AdmitAsync(session.SessionId!, true);

        Assert.All(allowed, a => Assert.Equal(AdmissionStatus.Allowed, a.Status));
        Assert.Equal(Enumerable.Range(0, ClusterFixture.QuotaCapacity).Reverse(), allowed.Select(a => a.Remaining));
        Assert.All(allowed, a => Assert.Equal(ClusterFixture.QuotaCapacity, a.Limit));
        Assert.Equal(AdmissionStatus.QuotaExceeded, refused.Status);
        Assert.InRange(refused.RetryAfterSeconds, 1, 100);
        Assert.Equal(AdmissionStatus.Allowed, afterRefill.Status);
        Assert.Equal(0, afterRefill.Remaining);
    }

    [Fact]
    public async Task The_bootstrap_admin_exists_with_the_admin_role()
    {
        var name = ClusterFixture.AdminUsername;

        var result = await Grains.GetGrain<IUsernameGrain>(name).SignInAsync(ClusterFixture.AdminPassword, null);

        Assert.Equal(SignInStatus.Succeeded, result.Status);
        Assert.Equal([AccessRoles.Admin], result.User!.Roles);
        Assert.Equal(AccessScopes.All, result.Scopes!);
    }

    private async Task<RegistrationResult> RegisterAsync(string name) =>
        await Grains.GetGrain<IUsernameGrain>(name).RegisterAsync(new NewAccount(name, Password, null, [AccessRoles.User]));

    private async Task<(IUserGrain User, SignInResult Session)> SignedInUserAsync(string[]? scopes = null)
    {
        var name = Callers.NewUsername();
        var registration = await RegisterAsync(name);
        var user = Grains.GetGrain<IUserGrain>(registration.UserId!);
        var session = await user.SignInAsync(Password, scopes);
        Assert.Equal(SignInStatus.Succeeded, session.Status);
        return (user, session);
    }
}
