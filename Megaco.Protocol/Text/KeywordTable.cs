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
    /// Every spelling as a case-folded key (see <see cref="Fold"/>), grouped by length and first byte:
    /// the group of bucket b is <c>Entries[Starts[b]..Starts[b + 1]]</c>, so a lookup folds the word once
    /// and compares it with the one or two keys that could match, a few integers each, allocating nothing.
    /// </summary>
    private static readonly Entry[] Entries = BuildEntries(out Starts, out MaxLengthValue);

    private static readonly int[] Starts;

    private static readonly int MaxLengthValue;

    /// <summary>The longest spelling of any keyword; longer words are never keywords.</summary>
    public static int MaxLength => MaxLengthValue;

    public static string Long(Keyword keyword) => Spellings[(int)keyword].Long;

    public static string Short(Keyword keyword) => Spellings[(int)keyword].Short;

    public static byte[] LongUtf8(Keyword keyword) => Spellings[(int)keyword].LongBytes;

    public static byte[] ShortUtf8(Keyword keyword) => Spellings[(int)keyword].ShortBytes;

    /// <summary>
    /// Looks up a word (SafeChar bytes, any case) among the long and short spellings. A word with control
    /// bytes may be taken for a keyword whose byte differs only in bit 5; no SafeChar word is.
    /// </summary>
    public static Keyword Lookup(ReadOnlySpan<byte> word)
    {
        var length = word.Length;
        if ((uint)(length - 1) >= (uint)MaxLengthValue)
        {
            return Keyword.None;
        }
        ref var w = ref MemoryMarshal.GetReference(word);
        var bucket = BucketIndex(length, w);
        var starts = Starts;
        var i = starts[bucket];
        var end = starts[bucket + 1];
        if (i == end)
        {
            return Keyword.None;
        }
        var key = Fold(ref w, length);
        var entries = Entries;
        for (; i < end; i++)
        {
            ref readonly var entry = ref entries[i];
            if (entry.Key.Head == key.Head && entry.Key.Middle == key.Middle && entry.Key.Tail == key.Tail)
            {
                return entry.Keyword;
            }
        }
        return Keyword.None;
    }

    /// <summary>
    /// A word of 1 to 24 bytes as three integers that equal another word's exactly when the words are equal but
    /// for the case of their letters (all within one bucket have the same length): overlapping loads cover every
    /// byte, and setting bit 5 of each byte folds letters to lower case. Keywords are made of letters, digits,
    /// "!" and "&amp;", which bit 5 leaves as they are, and no other SafeChar folds onto one of them.
    /// </summary>
    private static FoldedKey Fold(ref byte w, int length)
    {
        const ulong Lower = 0x2020202020202020UL;
        if (length >= 8)
        {
            var head = Unsafe.ReadUnaligned<ulong>(ref w) | Lower;
            var tail = Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref w, length - 8)) | Lower;
            var middle = length > 16 ? Unsafe.ReadUnaligned<ulong>(ref Unsafe.Add(ref w, 8)) | Lower : 0;
            return new FoldedKey(head, middle, tail);
        }
        if (length >= 4)
        {
            var first = Unsafe.ReadUnaligned<uint>(ref w);
            var last = Unsafe.ReadUnaligned<uint>(ref Unsafe.Add(ref w, length - 4));
            return new FoldedKey((first | ((ulong)last << 32)) | Lower, 0, 0);
        }
        var bytes = w | ((ulong)Unsafe.Add(ref w, length >> 1) << 8) | ((ulong)Unsafe.Add(ref w, length - 1) << 16);
        return new FoldedKey(bytes | 0x202020UL, 0, 0);
    }

    /// <summary>Length and first byte (bit 5 set, as <see cref="Fold"/> does, so both cases land together).</summary>
    private static int BucketIndex(int length, byte first) => (length << 7) | ((first | 0x20) & 0x7F);

    private static Entry[] BuildEntries(out int[] starts, out int maxLength)
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
        if (maxLength > 24)
        {
            throw new InvalidOperationException("a keyword longer than 24 bytes does not fit a folded key");
        }
        var sorted = all.DistinctBy(e => e.Spelling.ToUpperInvariant())
            .Select(e => (Bytes: System.Text.Encoding.ASCII.GetBytes(e.Spelling), e.Keyword))
            .OrderBy(e => BucketIndex(e.Bytes.Length, e.Bytes[0]))
            .ToArray();
        var entries = new Entry[sorted.Length];
        starts = new int[((maxLength + 1) << 7) + 1];
        for (var i = 0; i < sorted.Length; i++)
        {
            var (bytes, keyword) = sorted[i];
            entries[i] = new Entry(Fold(ref bytes[0], bytes.Length), keyword);
            starts[BucketIndex(bytes.Length, bytes[0]) + 1]++;
        }
        for (var b = 1; b < starts.Length; b++)
        {
            starts[b] += starts[b - 1];
        }
        return entries;
    }

    private readonly record struct FoldedKey(ulong Head, ulong Middle, ulong Tail);

    private readonly record struct Entry(FoldedKey Key, Keyword Keyword);

    private readonly struct Spelling(string longForm, string shortForm)
    {
        public string Long { get; } = longForm;
        public string Short { get; } = shortForm;
        public byte[] LongBytes { get; } = System.Text.Encoding.ASCII.GetBytes(longForm);
        public byte[] ShortBytes { get; } = System.Text.Encoding.ASCII.GetBytes(shortForm);
    }
}
