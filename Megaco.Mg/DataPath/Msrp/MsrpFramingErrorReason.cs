namespace Megaco.Mg.DataPath.Msrp;

/// <summary>Why an MSRP stream was refused; one value per check.</summary>
public enum MsrpFramingErrorReason : byte
{
    None,

    /// <summary>The start line is neither <c>MSRP tid METHOD</c> nor <c>MSRP tid NNN [comment]</c>.</summary>
    BadStartLine,

    /// <summary>The start line is longer than <see cref="MsrpLimits.MaxStartLineLength"/>.</summary>
    StartLineTooLong,

    /// <summary>The transact-id is not <c>ALPHANUM 3*31ident-char</c>.</summary>
    InvalidTransactionId,

    /// <summary>The transact-id is longer than <see cref="MsrpLimits.MaxTransactionIdLength"/>.</summary>
    TransactionIdTooLong,

    /// <summary>A header line has no colon or a name that is not a token.</summary>
    BadHeaderLine,

    /// <summary>A header line is longer than <see cref="MsrpLimits.MaxHeaderLineLength"/>.</summary>
    HeaderLineTooLong,

    /// <summary>More header lines than <see cref="MsrpLimits.MaxHeaderCount"/>.</summary>
    TooManyHeaders,

    /// <summary>A line ends in a bare LF, or holds a CR not followed by LF.</summary>
    MissingCrlf,

    /// <summary>A NUL byte in the start line or a header line.</summary>
    NulByte,

    /// <summary>Another control character in the start line or a header line.</summary>
    ControlCharacter,

    /// <summary>A header-less end-line whose transact-id or flag does not match the message.</summary>
    BadEndLine,

    /// <summary>A rewritten To-Path or From-Path would exceed <see cref="MsrpLimits.MaxHeaderLineLength"/>.</summary>
    RewrittenHeaderTooLong,

    /// <summary>The stream ended inside a message.</summary>
    Truncated,

    /// <summary>
    /// The first header is not To-Path or the second not From-Path (RFC 4975 §9: <c>headers = To-Path CRLF
    /// From-Path CRLF 1*( header CRLF )</c>, and the same two first in a response); a B2BUA cannot rewrite
    /// a message whose paths it cannot find.
    /// </summary>
    PathHeadersMissing,

    /// <summary>The headers of one message together exceed what an MSRP conference holds for a message being forwarded.</summary>
    HeaderBlockTooLarge,

    /// <summary>A request other than SEND carries a body over 10240 octets (RFC 4975 §7.1).</summary>
    NonSendBodyTooLarge,
}
