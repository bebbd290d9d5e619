using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Megaco.Protocol.Text;

/// <summary>
/// Long and short spellings of every <see cref="Keyword"/> (H.248.1 Annex B.2), and the
/// case-insensitive lookup from either spelling. The pre-v3 draft spellings <c>Direction</c>/<c>DI</c>
/// and <c>RequestID</c>/<c>RQ</c> and v2's <c>EmergencyOffToken</c> are also recognised on input.
/// </summary>
public static class KeywordTable
{
    private static readonly Spelling[] Spellings =
    [
        default,
        new("Add", "A"), // Add
        new("ANDLgc", "ANDLgc"), // AndAuditSelect
        new("Audit", "AT"), // Audit
        new("AuditCapability", "AC"), // AuditCapability
        new("AuditValue", "AV"), // AuditValue
        new("Authentication", "AU"), // Authentication
        new("Both", "B"), // Both
        new("Bothway", "BW"), // Bothway
        new("Brief", "BR"), // Brief
        new("Buffer", "BF"), // Buffer
        new("Context", "C"), // Context
        new("ContextAudit", "CA"), // ContextAudit
        new("ContextAttr", "CT"), // ContextAttr
        new("ContextList", "CLT"), // ContextList
        new("DigitMap", "DM"), // DigitMap
        new("SPADirection", "SPADI"), // Direction
        new("Discard", "DS"), // Discard
        new("Disconnected", "DC"), // Disconnected
        new("Delay", "DL"), // Delay
        new("Duration", "DR"), // Duration
        new("Embed", "EM"), // Embed
        new("Emergency", "EG"), // Emergency
        new("EmergencyOff", "EGO"), // EmergencyOff
        new("EmergencyValue", "EGV"), // EmergencyValue
        new("Error", "ER"), // Error
        new("EventBuffer", "EB"), // EventBuffer
        new("Events", "E"), // Events
        new("External", "EX"), // External
        new("Failover", "FL"), // Failover
        new("Forced", "FO"), // Forced
        new("Graceful", "GR"), // Graceful
        new("H221", "H221"), // H221
        new("H223", "H223"), // H223
        new("H226", "H226"), // H226
        new("HandOff", "HO"), // HandOff
        new("IEPSCall", "IEPS"), // IepsCall
        new("ImmAckRequired", "IA"), // ImmAckRequired
        new("Inactive", "IN"), // Inactive
        new("Internal", "IT"), // Internal
        new("Intersignal", "SPAIS"), // Intersignal
        new("IntByEvent", "IBE"), // InterruptByEvent
        new("IntBySigDescr", "IBS"), // InterruptBySignalsDescriptor
        new("Isolate", "IS"), // Isolate
        new("InService", "IV"), // InService
        new("Iteration", "IR"), // Iteration
        new("KeepActive", "KA"), // KeepActive
        new("Local", "L"), // Local
        new("LocalControl", "O"), // LocalControl
        new("LockStep", "SP"), // LockStep
        new("Loopback", "LB"), // Loopback
        new("Media", "M"), // Media
        new("MEGACO", "!"), // Megaco
        new("Segment", "SM"), // Segment
        new("Method", "MT"), // Method
        new("MgcIdToTry", "MG"), // MgcIdToTry
        new("Mode", "MO"), // Mode
        new("Modify", "MF"), // Modify
        new("Modem", "MD"), // Modem
        new("Move", "MV"), // Move
        new("MTP", "MTP"), // Mtp
        new("Mux", "MX"), // Mux
        new("NeverNotify", "NBNN"), // NeverNotify
        new("Notify", "N"), // Notify
        new("NotifyCompletion", "NC"), // NotifyCompletion
        new("ImmediateNotify", "NBIN"), // ImmediateNotify
        new("RegulatedNotify", "NBRN"), // RegulatedNotify
        new("Nx64Kservice", "N64"), // Nx64kService
        new("ObservedEvents", "OE"), // ObservedEvents
        new("OFF", "OFF"), // Off
        new("Oneway", "OW"), // Oneway
        new("OnewayBoth", "OWB"), // OnewayBoth
        new("OnewayExternal", "OWE"), // OnewayExternal
        new("OnOff", "OO"), // OnOff
        new("ORLgc", "ORLgc"), // OrAuditSelect
        new("ON", "ON"), // On
        new("OtherReason", "OR"), // OtherReason
        new("OutOfService", "OS"), // OutOfService
        new("Packages", "PG"), // Packages
        new("Pending", "PN"), // Pending
        new("Priority", "PR"), // Priority
        new("Profile", "PF"), // Profile
        new("Reason", "RE"), // Reason
        new("ReceiveOnly", "RC"), // ReceiveOnly
        new("Reply", "P"), // Reply
        new("ResetEventsDescriptor", "RSE"), // ResetEventsDescriptor
        new("Restart", "RS"), // Restart
        new("Remote", "R"), // Remote
        new("SPARequestID", "SPARQ"), // RequestId
        new("ReservedGroup", "RG"), // ReservedGroup
        new("ReservedValue", "RV"), // ReservedValue
        new("END", "&"), // SegmentationComplete
        new("SendOnly", "SO"), // SendOnly
        new("SendReceive", "SR"), // SendReceive
        new("Services", "SV"), // Services
        new("ServiceStates", "SI"), // ServiceStates
        new("ServiceChange", "SC"), // ServiceChange
        new("ServiceChangeAddress", "AD"), // ServiceChangeAddress
        new("ServiceChangeInc", "SIC"), // ServiceChangeIncomplete
        new("SignalList", "SL"), // SignalList
        new("Signals", "SG"), // Signals
        new("SignalType", "SY"), // SignalType
        new("Statistics", "SA"), // Statistics
        new("Stream", "ST"), // Stream
        new("Subtract", "S"), // Subtract
        new("SynchISDN", "SN"), // SynchIsdn
        new("TerminationState", "TS"), // TerminationState
        new("Test", "TE"), // Test
        new("TimeOut", "TO"), // TimeOut
        new("Topology", "TP"), // Topology
        new("Transaction", "T"), // Transaction
        new("TransactionResponseAck", "K"), // TransactionResponseAck
        new("V18", "V18"), // V18
        new("V22", "V22"), // V22
        new("V22b", "V22b"), // V22bis
        new("V32", "V32"), // V32
        new("V32b", "V32b"), // V32bis
        new("V34", "V34"), // V34
        new("V76", "V76"), // V76
        new("V90", "V90"), // V90
        new("V91", "V91"), // V91
        new("Version", "V"), // Version
    ];

    /// <summary>
    /// Every spelling, bucketed by length and upper-cased first byte, so a lookup compares a word with
    /// the one or two spellings that could match and allocates nothing.
    /// </summary>
    private static readonly (byte[] Lower, Keyword Keyword)[]?[] Buckets = BuildBuckets(out MaxLengthValue);

    private static readonly int MaxLengthValue;

    /// <summary>The longest spelling of any keyword; longer words are never keywords.</summary>
    public static int MaxLength => MaxLengthValue;

    public static string Long(Keyword keyword) => Spellings[(int)keyword].Long;

    public static string Short(Keyword keyword) => Spellings[(int)keyword].Short;

    public static byte[] LongUtf8(Keyword keyword) => Spellings[(int)keyword].LongBytes;

    public static byte[] ShortUtf8(Keyword keyword) => Spellings[(int)keyword].ShortBytes;

    /// <summary>Looks up a word (ASCII bytes, any case) among the long and short spellings.</summary>
    public static Keyword Lookup(ReadOnlySpan<byte> word)
    {
        if ((uint)(word.Length - 1) >= (uint)MaxLengthValue)
        {
            return Keyword.None;
        }
        var bucket = Buckets[BucketIndex(word.Length, word[0])];
        if (bucket is not null)
        {
            foreach (var (lower, keyword) in bucket)
            {
                if (EqualsLower(word, lower))
                {
                    return keyword;
                }
            }
        }
        return Keyword.None;
    }

    /// <summary>
    /// Compares a word with a lower-case spelling made only of letters, digits, "!" and "&amp;": setting bit 5
    /// folds the word's letters to lower case and leaves those digits and signs as they are; no other
    /// SafeChar can fold onto one of them.
    /// </summary>
    private static bool EqualsLower(ReadOnlySpan<byte> word, byte[] lower)
    {
        // The bucket guarantees equal lengths; eight bytes are folded and compared at a time.
        ref var w = ref MemoryMarshal.GetReference(word);
        ref var l = ref MemoryMarshal.GetArrayDataReference(lower);
        var i = 0;
        for (; i + 8 <= lower.Length; i += 8)
        {
            if ((Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref w, i)) | 0x2020202020202020UL)
                != Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref l, i)))
            {
                return false;
            }
        }
        for (; i < lower.Length; i++)
        {
            if ((Unsafe.Add(ref w, i) | 0x20) != Unsafe.Add(ref l, i))
            {
                return false;
            }
        }
        return true;
    }

    private static int BucketIndex(int length, byte first) =>
        (length << 7) | ((first is >= (byte)'a' and <= (byte)'z' ? first - 32 : first) & 0x7F);

    private static (byte[], Keyword)[]?[] BuildBuckets(out int maxLength)
    {
        var all = new List<(string Spelling, Keyword Keyword)>();
        for (var i = 1; i < Spellings.Length; i++)
        {
            all.Add((Spellings[i].Long, (Keyword)i));
            all.Add((Spellings[i].Short, (Keyword)i));
        }
        // Pre-v3 drafts and v2 spellings still met on the wire (Erlang/OTP megaco accepts them too).
        all.Add(("Direction", Keyword.Direction));
        all.Add(("DI", Keyword.Direction));
        all.Add(("RequestID", Keyword.RequestId));
        all.Add(("RQ", Keyword.RequestId));
        all.Add(("EmergencyOffToken", Keyword.EmergencyOff));

        maxLength = all.Max(e => e.Spelling.Length);
        var buckets = new (byte[], Keyword)[]?[(maxLength + 1) << 7];
        foreach (var group in all.DistinctBy(e => e.Spelling.ToUpperInvariant())
                     .GroupBy(e => BucketIndex(e.Spelling.Length, (byte)e.Spelling[0])))
        {
            buckets[group.Key] = group.Select(e => (System.Text.Encoding.ASCII.GetBytes(e.Spelling.ToLowerInvariant()), e.Keyword)).ToArray();
        }
        return buckets;
    }

    private readonly struct Spelling(string longForm, string shortForm)
    {
        public string Long { get; } = longForm;
        public string Short { get; } = shortForm;
        public byte[] LongBytes { get; } = System.Text.Encoding.ASCII.GetBytes(longForm);
        public byte[] ShortBytes { get; } = System.Text.Encoding.ASCII.GetBytes(shortForm);
    }
}
