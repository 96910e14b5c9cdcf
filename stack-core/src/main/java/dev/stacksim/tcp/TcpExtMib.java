package dev.stacksim.tcp;

import dev.stacksim.host.MibField;

/**
 * The {@code TcpExt:} group of {@code /proc/net/netstat} ({@code LINUX_MIB_*}, {@code snmp4_net_list}
 * in {@code net/ipv4/proc.c}), every counter in the order Linux 6.18 prints them, so the file reads
 * byte for byte like the kernel's. Counters TCP does not model stay 0, as they do on a quiet host.
 */
public enum TcpExtMib implements MibField {
    /** SYN-ACKs carrying a syncookie. */
    SYNCOOKIES_SENT("SyncookiesSent"),
    /** ACKs that carried a valid syncookie. */
    SYNCOOKIES_RECV("SyncookiesRecv"),
    /** ACKs whose syncookie did not validate. */
    SYNCOOKIES_FAILED("SyncookiesFailed"),
    /** Resets sent or received on request socks (SYN_RECV), including tcp_abort_on_overflow=1. */
    EMBRYONIC_RSTS("EmbryonicRsts"),
    /** Linux's {@code PruneCalled} counter. */
    PRUNE_CALLED("PruneCalled"),
    /** Linux's {@code RcvPruned} counter. */
    RCV_PRUNED("RcvPruned"),
    /** Linux's {@code OfoPruned} counter. */
    OFO_PRUNED("OfoPruned"),
    /** Linux's {@code OutOfWindowIcmps} counter. */
    OUT_OF_WINDOW_ICMPS("OutOfWindowIcmps"),
    /** Linux's {@code LockDroppedIcmps} counter. */
    LOCK_DROPPED_ICMPS("LockDroppedIcmps"),
    /** Linux's {@code ArpFilter} counter. */
    ARP_FILTER("ArpFilter"),
    /** Connections that ended their TIME_WAIT by the timer. */
    TW("TW"),
    /** Linux's {@code TWRecycled} counter. */
    TW_RECYCLED("TWRecycled"),
    /** Linux's {@code TWKilled} counter. */
    TW_KILLED("TWKilled"),
    /** Linux's {@code PAWSActive} counter. */
    PAWS_ACTIVE("PAWSActive"),
    /** Linux's {@code PAWSEstab} counter. */
    PAWS_ESTAB("PAWSEstab"),
    /** Linux's {@code BeyondWindow} counter. */
    BEYOND_WINDOW("BeyondWindow"),
    /** Linux's {@code TSEcrRejected} counter. */
    TS_ECR_REJECTED("TSEcrRejected"),
    /** Linux's {@code PAWSOldAck} counter. */
    PAWS_OLD_ACK("PAWSOldAck"),
    /** Linux's {@code PAWSTimewait} counter. */
    PAWS_TIMEWAIT("PAWSTimewait"),
    /** Delayed ACKs sent by the delayed-ACK timer. */
    DELAYED_AC_KS("DelayedACKs"),
    /** Linux's {@code DelayedACKLocked} counter. */
    DELAYED_ACK_LOCKED("DelayedACKLocked"),
    /** Linux's {@code DelayedACKLost} counter. */
    DELAYED_ACK_LOST("DelayedACKLost"),
    /** SYNs and final ACKs dropped because the accept queue was full (sk_acceptq_is_full). */
    LISTEN_OVERFLOWS("ListenOverflows"),
    /** Every SYN or final ACK a listener dropped, for any reason (counted with ListenOverflows and the others). */
    LISTEN_DROPS("ListenDrops"),
    /** Linux's {@code TCPHPHits} counter. */
    TCPHP_HITS("TCPHPHits"),
    /** Linux's {@code TCPPureAcks} counter. */
    TCP_PURE_ACKS("TCPPureAcks"),
    /** Linux's {@code TCPHPAcks} counter. */
    TCPHP_ACKS("TCPHPAcks"),
    /** Linux's {@code TCPRenoRecovery} counter. */
    TCP_RENO_RECOVERY("TCPRenoRecovery"),
    /** Loss recoveries using SACK. */
    TCP_SACK_RECOVERY("TCPSackRecovery"),
    /** Linux's {@code TCPSACKReneging} counter. */
    TCPSACK_RENEGING("TCPSACKReneging"),
    /** Linux's {@code TCPSACKReorder} counter. */
    TCPSACK_REORDER("TCPSACKReorder"),
    /** Linux's {@code TCPRenoReorder} counter. */
    TCP_RENO_REORDER("TCPRenoReorder"),
    /** Linux's {@code TCPTSReorder} counter. */
    TCPTS_REORDER("TCPTSReorder"),
    /** Linux's {@code TCPFullUndo} counter. */
    TCP_FULL_UNDO("TCPFullUndo"),
    /** Linux's {@code TCPPartialUndo} counter. */
    TCP_PARTIAL_UNDO("TCPPartialUndo"),
    /** Linux's {@code TCPDSACKUndo} counter. */
    TCPDSACK_UNDO("TCPDSACKUndo"),
    /** Linux's {@code TCPLossUndo} counter. */
    TCP_LOSS_UNDO("TCPLossUndo"),
    /** Linux's {@code TCPLostRetransmit} counter. */
    TCP_LOST_RETRANSMIT("TCPLostRetransmit"),
    /** Linux's {@code TCPRenoFailures} counter. */
    TCP_RENO_FAILURES("TCPRenoFailures"),
    /** Linux's {@code TCPSackFailures} counter. */
    TCP_SACK_FAILURES("TCPSackFailures"),
    /** Linux's {@code TCPLossFailures} counter. */
    TCP_LOSS_FAILURES("TCPLossFailures"),
    /** Fast retransmissions. */
    TCP_FAST_RETRANS("TCPFastRetrans"),
    /** Linux's {@code TCPSlowStartRetrans} counter. */
    TCP_SLOW_START_RETRANS("TCPSlowStartRetrans"),
    /** Retransmission timer expiries (RTO), SYN-ACK timer runs included. */
    TCP_TIMEOUTS("TCPTimeouts"),
    /** Linux's {@code TCPLossProbes} counter. */
    TCP_LOSS_PROBES("TCPLossProbes"),
    /** Linux's {@code TCPLossProbeRecovery} counter. */
    TCP_LOSS_PROBE_RECOVERY("TCPLossProbeRecovery"),
    /** Linux's {@code TCPRenoRecoveryFail} counter. */
    TCP_RENO_RECOVERY_FAIL("TCPRenoRecoveryFail"),
    /** Linux's {@code TCPSackRecoveryFail} counter. */
    TCP_SACK_RECOVERY_FAIL("TCPSackRecoveryFail"),
    /** Linux's {@code TCPRcvCollapsed} counter. */
    TCP_RCV_COLLAPSED("TCPRcvCollapsed"),
    /** Linux's {@code TCPBacklogCoalesce} counter. */
    TCP_BACKLOG_COALESCE("TCPBacklogCoalesce"),
    /** Linux's {@code TCPDSACKOldSent} counter. */
    TCPDSACK_OLD_SENT("TCPDSACKOldSent"),
    /** Linux's {@code TCPDSACKOfoSent} counter. */
    TCPDSACK_OFO_SENT("TCPDSACKOfoSent"),
    /** Linux's {@code TCPDSACKRecv} counter. */
    TCPDSACK_RECV("TCPDSACKRecv"),
    /** Linux's {@code TCPDSACKOfoRecv} counter. */
    TCPDSACK_OFO_RECV("TCPDSACKOfoRecv"),
    /** Connections reset by close() with SO_LINGER {1, 0}, or data after close. */
    TCP_ABORT_ON_DATA("TCPAbortOnData"),
    /** Connections reset by close() with unread data (RFC 2525 2.17). */
    TCP_ABORT_ON_CLOSE("TCPAbortOnClose"),
    /** Linux's {@code TCPAbortOnMemory} counter. */
    TCP_ABORT_ON_MEMORY("TCPAbortOnMemory"),
    /** Connections dropped after too many retransmissions or keepalive probes. */
    TCP_ABORT_ON_TIMEOUT("TCPAbortOnTimeout"),
    /** Linux's {@code TCPAbortOnLinger} counter. */
    TCP_ABORT_ON_LINGER("TCPAbortOnLinger"),
    /** Linux's {@code TCPAbortFailed} counter. */
    TCP_ABORT_FAILED("TCPAbortFailed"),
    /** Linux's {@code TCPMemoryPressures} counter. */
    TCP_MEMORY_PRESSURES("TCPMemoryPressures"),
    /** Linux's {@code TCPMemoryPressuresChrono} counter. */
    TCP_MEMORY_PRESSURES_CHRONO("TCPMemoryPressuresChrono"),
    /** Linux's {@code TCPSACKDiscard} counter. */
    TCPSACK_DISCARD("TCPSACKDiscard"),
    /** Linux's {@code TCPDSACKIgnoredOld} counter. */
    TCPDSACK_IGNORED_OLD("TCPDSACKIgnoredOld"),
    /** Linux's {@code TCPDSACKIgnoredNoUndo} counter. */
    TCPDSACK_IGNORED_NO_UNDO("TCPDSACKIgnoredNoUndo"),
    /** Linux's {@code TCPSpuriousRTOs} counter. */
    TCP_SPURIOUS_RT_OS("TCPSpuriousRTOs"),
    /** Linux's {@code TCPMD5NotFound} counter. */
    TCPMD5_NOT_FOUND("TCPMD5NotFound"),
    /** Linux's {@code TCPMD5Unexpected} counter. */
    TCPMD5_UNEXPECTED("TCPMD5Unexpected"),
    /** Linux's {@code TCPMD5Failure} counter. */
    TCPMD5_FAILURE("TCPMD5Failure"),
    /** Linux's {@code TCPSackShifted} counter. */
    TCP_SACK_SHIFTED("TCPSackShifted"),
    /** Linux's {@code TCPSackMerged} counter. */
    TCP_SACK_MERGED("TCPSackMerged"),
    /** Linux's {@code TCPSackShiftFallback} counter. */
    TCP_SACK_SHIFT_FALLBACK("TCPSackShiftFallback"),
    /** Linux's {@code TCPBacklogDrop} counter. */
    TCP_BACKLOG_DROP("TCPBacklogDrop"),
    /** Linux's {@code PFMemallocDrop} counter. */
    PF_MEMALLOC_DROP("PFMemallocDrop"),
    /** Linux's {@code TCPMinTTLDrop} counter. */
    TCP_MIN_TTL_DROP("TCPMinTTLDrop"),
    /** Linux's {@code TCPDeferAcceptDrop} counter. */
    TCP_DEFER_ACCEPT_DROP("TCPDeferAcceptDrop"),
    /** Linux's {@code IPReversePathFilter} counter. */
    IP_REVERSE_PATH_FILTER("IPReversePathFilter"),
    /** Linux's {@code TCPTimeWaitOverflow} counter. */
    TCP_TIME_WAIT_OVERFLOW("TCPTimeWaitOverflow"),
    /** SYNs answered with a syncookie because the SYN queue was full (or tcp_syncookies=2). */
    TCP_REQ_Q_FULL_DO_COOKIES("TCPReqQFullDoCookies"),
    /** SYNs dropped because the SYN queue was full and syncookies were off. */
    TCP_REQ_Q_FULL_DROP("TCPReqQFullDrop"),
    /** Linux's {@code TCPRetransFail} counter. */
    TCP_RETRANS_FAIL("TCPRetransFail"),
    /** Linux's {@code TCPRcvCoalesce} counter. */
    TCP_RCV_COALESCE("TCPRcvCoalesce"),
    /** Linux's {@code TCPOFOQueue} counter. */
    TCPOFO_QUEUE("TCPOFOQueue"),
    /** Linux's {@code TCPOFODrop} counter. */
    TCPOFO_DROP("TCPOFODrop"),
    /** Linux's {@code TCPOFOMerge} counter. */
    TCPOFO_MERGE("TCPOFOMerge"),
    /** Challenge ACKs sent (RFC 5961). */
    TCP_CHALLENGE_ACK("TCPChallengeACK"),
    /** Linux's {@code TCPSYNChallenge} counter. */
    TCPSYN_CHALLENGE("TCPSYNChallenge"),
    /** Linux's {@code TCPFastOpenActive} counter. */
    TCP_FAST_OPEN_ACTIVE("TCPFastOpenActive"),
    /** Linux's {@code TCPFastOpenActiveFail} counter. */
    TCP_FAST_OPEN_ACTIVE_FAIL("TCPFastOpenActiveFail"),
    /** Linux's {@code TCPFastOpenPassive} counter. */
    TCP_FAST_OPEN_PASSIVE("TCPFastOpenPassive"),
    /** Linux's {@code TCPFastOpenPassiveFail} counter. */
    TCP_FAST_OPEN_PASSIVE_FAIL("TCPFastOpenPassiveFail"),
    /** Linux's {@code TCPFastOpenListenOverflow} counter. */
    TCP_FAST_OPEN_LISTEN_OVERFLOW("TCPFastOpenListenOverflow"),
    /** Linux's {@code TCPFastOpenCookieReqd} counter. */
    TCP_FAST_OPEN_COOKIE_REQD("TCPFastOpenCookieReqd"),
    /** Linux's {@code TCPFastOpenBlackhole} counter. */
    TCP_FAST_OPEN_BLACKHOLE("TCPFastOpenBlackhole"),
    /** Linux's {@code TCPSpuriousRtxHostQueues} counter. */
    TCP_SPURIOUS_RTX_HOST_QUEUES("TCPSpuriousRtxHostQueues"),
    /** Linux's {@code BusyPollRxPackets} counter. */
    BUSY_POLL_RX_PACKETS("BusyPollRxPackets"),
    /** Linux's {@code TCPAutoCorking} counter. */
    TCP_AUTO_CORKING("TCPAutoCorking"),
    /** Linux's {@code TCPFromZeroWindowAdv} counter. */
    TCP_FROM_ZERO_WINDOW_ADV("TCPFromZeroWindowAdv"),
    /** Linux's {@code TCPToZeroWindowAdv} counter. */
    TCP_TO_ZERO_WINDOW_ADV("TCPToZeroWindowAdv"),
    /** Linux's {@code TCPWantZeroWindowAdv} counter. */
    TCP_WANT_ZERO_WINDOW_ADV("TCPWantZeroWindowAdv"),
    /** Linux's {@code TCPSynRetrans} counter. */
    TCP_SYN_RETRANS("TCPSynRetrans"),
    /** Linux's {@code TCPOrigDataSent} counter. */
    TCP_ORIG_DATA_SENT("TCPOrigDataSent"),
    /** Linux's {@code TCPHystartTrainDetect} counter. */
    TCP_HYSTART_TRAIN_DETECT("TCPHystartTrainDetect"),
    /** Linux's {@code TCPHystartTrainCwnd} counter. */
    TCP_HYSTART_TRAIN_CWND("TCPHystartTrainCwnd"),
    /** Linux's {@code TCPHystartDelayDetect} counter. */
    TCP_HYSTART_DELAY_DETECT("TCPHystartDelayDetect"),
    /** Linux's {@code TCPHystartDelayCwnd} counter. */
    TCP_HYSTART_DELAY_CWND("TCPHystartDelayCwnd"),
    /** Linux's {@code TCPACKSkippedSynRecv} counter. */
    TCPACK_SKIPPED_SYN_RECV("TCPACKSkippedSynRecv"),
    /** Linux's {@code TCPACKSkippedPAWS} counter. */
    TCPACK_SKIPPED_PAWS("TCPACKSkippedPAWS"),
    /** Linux's {@code TCPACKSkippedSeq} counter. */
    TCPACK_SKIPPED_SEQ("TCPACKSkippedSeq"),
    /** Linux's {@code TCPACKSkippedFinWait2} counter. */
    TCPACK_SKIPPED_FIN_WAIT2("TCPACKSkippedFinWait2"),
    /** Linux's {@code TCPACKSkippedTimeWait} counter. */
    TCPACK_SKIPPED_TIME_WAIT("TCPACKSkippedTimeWait"),
    /** Linux's {@code TCPACKSkippedChallenge} counter. */
    TCPACK_SKIPPED_CHALLENGE("TCPACKSkippedChallenge"),
    /** Linux's {@code TCPWinProbe} counter. */
    TCP_WIN_PROBE("TCPWinProbe"),
    /** Linux's {@code TCPKeepAlive} counter. */
    TCP_KEEP_ALIVE("TCPKeepAlive"),
    /** Linux's {@code TCPMTUPFail} counter. */
    TCPMTUP_FAIL("TCPMTUPFail"),
    /** Linux's {@code TCPMTUPSuccess} counter. */
    TCPMTUP_SUCCESS("TCPMTUPSuccess"),
    /** Linux's {@code TCPDelivered} counter. */
    TCP_DELIVERED("TCPDelivered"),
    /** Linux's {@code TCPDeliveredCE} counter. */
    TCP_DELIVERED_CE("TCPDeliveredCE"),
    /** Linux's {@code TCPAckCompressed} counter. */
    TCP_ACK_COMPRESSED("TCPAckCompressed"),
    /** Linux's {@code TCPZeroWindowDrop} counter. */
    TCP_ZERO_WINDOW_DROP("TCPZeroWindowDrop"),
    /** Linux's {@code TCPRcvQDrop} counter. */
    TCP_RCV_Q_DROP("TCPRcvQDrop"),
    /** Linux's {@code TCPWqueueTooBig} counter. */
    TCP_WQUEUE_TOO_BIG("TCPWqueueTooBig"),
    /** Linux's {@code TCPFastOpenPassiveAltKey} counter. */
    TCP_FAST_OPEN_PASSIVE_ALT_KEY("TCPFastOpenPassiveAltKey"),
    /** Linux's {@code TcpTimeoutRehash} counter. */
    TCP_TIMEOUT_REHASH("TcpTimeoutRehash"),
    /** Linux's {@code TcpDuplicateDataRehash} counter. */
    TCP_DUPLICATE_DATA_REHASH("TcpDuplicateDataRehash"),
    /** Linux's {@code TCPDSACKRecvSegs} counter. */
    TCPDSACK_RECV_SEGS("TCPDSACKRecvSegs"),
    /** Linux's {@code TCPDSACKIgnoredDubious} counter. */
    TCPDSACK_IGNORED_DUBIOUS("TCPDSACKIgnoredDubious"),
    /** Linux's {@code TCPMigrateReqSuccess} counter. */
    TCP_MIGRATE_REQ_SUCCESS("TCPMigrateReqSuccess"),
    /** Linux's {@code TCPMigrateReqFailure} counter. */
    TCP_MIGRATE_REQ_FAILURE("TCPMigrateReqFailure"),
    /** Linux's {@code TCPPLBRehash} counter. */
    TCPPLB_REHASH("TCPPLBRehash"),
    /** Linux's {@code TCPAORequired} counter. */
    TCPAO_REQUIRED("TCPAORequired"),
    /** Linux's {@code TCPAOBad} counter. */
    TCPAO_BAD("TCPAOBad"),
    /** Linux's {@code TCPAOKeyNotFound} counter. */
    TCPAO_KEY_NOT_FOUND("TCPAOKeyNotFound"),
    /** Linux's {@code TCPAOGood} counter. */
    TCPAO_GOOD("TCPAOGood"),
    /** Linux's {@code TCPAODroppedIcmps} counter. */
    TCPAO_DROPPED_ICMPS("TCPAODroppedIcmps");

    private final String linuxName;

    TcpExtMib(String linuxName) {
        this.linuxName = linuxName;
    }

    @Override
    public String linuxName() {
        return linuxName;
    }
}
