namespace Cascoin.L2.Sequencing;

/// <summary>Why a peer's L2 message was refused (convention 12).</summary>
public enum PeerOffence
{
    /// <summary>A vote whose signature does not recover to the voter it names.</summary>
    ForgedVote,

    /// <summary>A proposal not signed by the proposer of its round.</summary>
    ForgedProposal,

    /// <summary>A vote in the name of an address outside the height's sequencer set (judged before any signature recovery).</summary>
    VoteFromOutsideTheSet,

    /// <summary>A SEQANNOUNCE with a bad signature.</summary>
    ForgedAnnouncement,

    /// <summary>More transactions, votes, proposals or announcements than the per-peer flood limit; the excess is dropped unread.</summary>
    Flood,

    /// <summary>Blocks asked for that the peer claimed to have and did not send.</summary>
    EmptySync,

    /// <summary>A DKG message that does not decode, is not signed by the member it names, or carries a malformed payload.</summary>
    BadDkgMessage,

    /// <summary>Decryption shares whose proof does not check against the member's verification key, or a share message that does not decode.</summary>
    BadDecryptionShare,
}

/// <summary>
/// What each refusal costs the sender, in one table (ban at 100 points). Only what a peer can know
/// to be wrong is punished: a block naming an L1 block this node has not confirmed, a timestamp
/// ahead of its clock, a message for a later height, are "cannot judge yet" and cost nothing.
/// </summary>
public static class PeerPenalties
{
    public static int Points(PeerOffence offence) => offence switch
    {
        PeerOffence.ForgedVote => 20,
        PeerOffence.ForgedProposal => 20,
        PeerOffence.ForgedAnnouncement => 20,
        PeerOffence.VoteFromOutsideTheSet => 5,
        PeerOffence.Flood => 1,
        PeerOffence.BadDkgMessage => 20,
        PeerOffence.BadDecryptionShare => 20,
        PeerOffence.EmptySync => 0, // a peer may have lost the blocks to a reorganization: it is only not asked again
        _ => throw new ArgumentOutOfRangeException(nameof(offence), offence, "no penalty for this offence"),
    };
}
