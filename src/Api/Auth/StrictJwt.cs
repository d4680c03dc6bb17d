using System.Security.Claims;
using System.Text.Json;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace AgentSilo.Api.Auth;

/// <summary>
/// Refuses tokens that two parsers could read differently (RFC 8725 §3.8 / RFC 7515 §5.2: a JSON member named twice
/// must be rejected or only the lexically last one used, and libraries differ). A validated token must have exactly
/// one of each member, in header and payload, and exactly one subject.
/// </summary>
public static class StrictJwt
{
    private static readonly JsonDocumentOptions Strict = new() { AllowDuplicateProperties = false, MaxDepth = 16 };

    public static bool IsUnambiguous(SecurityToken token, ClaimsPrincipal principal) =>
        token is JsonWebToken jwt
        && IsObjectWithUniqueMembers(jwt.EncodedHeader)
        && IsObjectWithUniqueMembers(jwt.EncodedPayload)
        && principal.FindAll(ClaimNames.Subject).Take(2).Count() == 1;

    private static bool IsObjectWithUniqueMembers(string encoded)
    {
        try
        {
            using var document = JsonDocument.Parse(Base64UrlEncoder.DecodeBytes(encoded), Strict);
            return document.RootElement.ValueKind == JsonValueKind.Object;
        }
        catch (Exception e) when (e is JsonException or FormatException or ArgumentException)
        {
            return false;
        }
    }
}
