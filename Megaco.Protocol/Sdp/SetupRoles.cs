namespace Megaco.Protocol.Sdp;

/// <summary>Pure rules between the two <c>a=setup</c> values of an offer and its answer.</summary>
public static class SetupRoles
{
    /// <summary>
    /// The role an answerer takes for an offered role. RFC 4145 §4.1: active answers passive and the
    /// reverse, holdconn answers holdconn; actpass lets the answerer choose, and we choose active, as
    /// RFC 6135 §4.1 expects of an MSRP answerer, so the UE behind NAT need not accept a connection.
    /// </summary>
    public static SetupRole AnswerTo(SetupRole offered) => offered switch
    {
        SetupRole.Active => SetupRole.Passive,
        SetupRole.Passive => SetupRole.Active,
        SetupRole.ActPass => SetupRole.Active,
        SetupRole.HoldConn => SetupRole.HoldConn,
        _ => throw new ArgumentOutOfRangeException(nameof(offered), offered, null),
    };

    /// <summary>Whether an endpoint in this role opens the TCP connection (RFC 4145 §4.1).</summary>
    public static bool Connects(SetupRole role) => role == SetupRole.Active;

    /// <summary>Whether an endpoint in this role must be listening (RFC 4145 §4.1: passive and actpass).</summary>
    public static bool Listens(SetupRole role) => role is SetupRole.Passive or SetupRole.ActPass;

    /// <summary>Reads an <c>a=setup</c> value (RFC 4145 §4: role names are case-sensitive tokens).</summary>
    public static bool TryParse(string value, out SetupRole role)
    {
        (var ok, role) = value switch
        {
            "active" => (true, SetupRole.Active),
            "passive" => (true, SetupRole.Passive),
            "actpass" => (true, SetupRole.ActPass),
            "holdconn" => (true, SetupRole.HoldConn),
            _ => (false, default),
        };
        return ok;
    }

    /// <summary>The <c>a=setup</c> value of a role.</summary>
    public static string ToAttributeValue(SetupRole role) => role switch
    {
        SetupRole.Active => "active",
        SetupRole.Passive => "passive",
        SetupRole.ActPass => "actpass",
        SetupRole.HoldConn => "holdconn",
        _ => throw new ArgumentOutOfRangeException(nameof(role), role, null),
    };
}
