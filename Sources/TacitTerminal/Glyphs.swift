/// The characters the chat draws with: Unicode box lines and check marks, or plain ASCII
/// for terminals without UTF-8.
public struct Glyphs: Sendable, Equatable {
    public var horizontal: String
    public var vertical: String
    public var sent: String
    public var delivered: String
    public var read: String
    public var pending: String
    public var failed: String
    public var reply: String
    public var ellipsis: String
    public var typing: String

    public static let unicode = Glyphs(horizontal: "─", vertical: "│", sent: "✓", delivered: "✓✓", read: "✓✓ read",
                                       pending: "…", failed: "✗ not sent", reply: "↳", ellipsis: "…", typing: "…")
    public static let ascii = Glyphs(horizontal: "-", vertical: "|", sent: "(sent)", delivered: "(delivered)",
                                     read: "(read)", pending: "(sending)", failed: "(not sent)", reply: ">>",
                                     ellipsis: "~", typing: "...")

    /// The mark an outgoing message shows for its delivery state.
    public func mark(_ delivery: MessageRow.Delivery) -> String {
        switch delivery {
        case .pending: pending
        case .sent: sent
        case .delivered: delivered
        case .read: read
        case .failed: failed
        }
    }
}
