namespace AgentSilo.Api.Auth;

/// <summary>An RFC 6749 form body: url-encoded only, each parameter at most once (§3.2), empty values treated as absent.</summary>
public sealed class OAuthForm
{
    private readonly IFormCollection _form;

    private OAuthForm(IFormCollection form) => _form = form;

    public string? Get(string name) => _form.TryGetValue(name, out var values) && !string.IsNullOrEmpty(values[0]) ? values[0] : null;

    public static async Task<(OAuthForm? Form, OAuthError? Error)> ReadAsync(HttpRequest request, params string[] singleValued)
    {
        if (!request.HasFormContentType || request.ContentType?.StartsWith("application/x-www-form-urlencoded",
                StringComparison.OrdinalIgnoreCase) != true)
        {
            return (null, OAuthError.InvalidRequest("The body must be application/x-www-form-urlencoded."));
        }

        IFormCollection form;
        try
        {
            form = await request.ReadFormAsync(request.HttpContext.RequestAborted);
        }
        catch (InvalidDataException)
        {
            return (null, OAuthError.InvalidRequest("The form body could not be read."));
        }

        var repeated = singleValued.FirstOrDefault(name => form.TryGetValue(name, out var values) && values.Count > 1);
        return repeated is null
            ? (new OAuthForm(form), null)
            : (null, OAuthError.InvalidRequest($"The parameter {repeated} appears more than once."));
    }
}
