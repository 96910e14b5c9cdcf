package dev.stacksim.packetdrill;

/**
 * A system call line that cannot be made as written, or whose outcome is not what the script
 * says; the interpreter reports it as packetdrill does:
 * {@code script.pkt:7: runtime error in connect call: Expected result 0 but got -1 with errno 111 (Connection refused)}.
 */
final class SyscallError extends RuntimeException {
    private static final long serialVersionUID = 1L;

    SyscallError(String message) {
        super(message);
    }
}
