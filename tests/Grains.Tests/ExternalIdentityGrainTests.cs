using AgentSilo.Access;
using AgentSilo.Users;

namespace AgentSilo.Grains.Tests;

[Collection(ClusterCollection.Name)]
public sealed class ExternalIdentityGrainTests(ClusterFixture fixture)
{
    private const string Issuer = "https://idp.example.com";

    private IGrainFactory Grains => fixture.Client;

    [Fact]
    public async Task One_identity_is_one_user_and_the_same_subject_of_another_issuer_is_another()
    {
        var subject = Callers.NewId();
        var first = await AdmitAsync(SignIn(Issuer, subject, AccessRoles.User));
        var again = await AdmitAsync(SignIn(Issuer, subject, AccessRoles.User));
        var otherIssuer = await AdmitAsync(SignIn("https://other.example.com", subject, AccessRoles.User));

        Assert.Equal(AdmissionStatus.Allowed, first.Admission.Status);
        Assert.Equal(first.User!.UserId, again.User!.UserId);
        Assert.NotEqual(first.User.UserId, otherIssuer.User!.UserId);
        Assert.NotEqual(subject, first.User.UserId);
    }

    [Fact]
    public async Task Roles_follow_the_latest_token_both_up_and_down()
    {
        var subject = Callers.NewId();
        var admin = await AdmitAsync(SignIn(Issuer, subject, AccessRoles.Admin));
        Assert.Equal([AccessRoles.Admin], admin.User!.Roles);

        var demoted = await AdmitAsync(SignIn(Issuer, subject, AccessRoles.Guest));

        Assert.Equal([AccessRoles.Guest], demoted.User!.Roles);
        Assert.Equal([AccessRoles.Guest], (await Grains.GetGrain<IUserGrain>(admin.User.UserId).GetProfileAsync())!.Roles);
    }

    [Fact]
    public async Task Logout_all_refuses_tokens_issued_until_then_and_disabling_refuses_all()
    {
        var subject = Callers.NewId();
        var before = SignIn(Issuer, subject, AccessRoles.User, fixture.Clock.GetUtcNow().AddMinutes(-1));
        var user = (await AdmitAsync(before)).User!;

        await Grains.GetGrain<IUserGrain>(user.UserId).EndAllSessionsAsync();

        Assert.Equal(AdmissionStatus.Unauthenticated, (await AdmitAsync(before)).Admission.Status);
        var after = before with { IssuedAt = fixture.Clock.GetUtcNow().AddSeconds(2) };
        Assert.Equal(AdmissionStatus.Allowed, (await AdmitAsync(after)).Admission.Status);

        await Grains.GetGrain<IUserGrain>(user.UserId).SetDisabledAsync(Callers.NewAdmin(), disabled: true);
        Assert.Equal(AdmissionStatus.Unauthenticated, (await AdmitAsync(after)).Admission.Status);
    }

    [Fact]
    public async Task An_external_user_has_no_password_to_sign_in_with()
    {
        var user = (await AdmitAsync(SignIn(Issuer, Callers.NewId(), AccessRoles.User))).User!;

        Assert.Equal(SignInResult.Invalid, await Grains.GetGrain<IUserGrain>(user.UserId).SignInAsync(string.Empty, null));
        Assert.Equal(SignInResult.Invalid, await Grains.GetGrain<IUsernameGrain>(user.Username).SignInAsync(string.Empty, null));
    }

    private Task<ExternalAdmission> AdmitAsync(ExternalSignIn signIn) =>
        Grains.GetGrain<IExternalIdentityGrain>(ExternalIdentityKey.Of(signIn.Issuer, signIn.Subject))
            .AdmitAsync(signIn, takeQuotaToken: false);

    private static ExternalSignIn SignIn(string issuer, string subject, string role, DateTimeOffset? issuedAt = null) => new(
        "corp", issuer, subject, $"corp:{subject}", "Someone", [role],
        DateTimeOffset.FromUnixTimeSeconds((issuedAt ?? DateTimeOffset.UtcNow).ToUnixTimeSeconds()));
}
