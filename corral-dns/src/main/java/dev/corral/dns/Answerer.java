package dev.corral.dns;

import java.util.List;
import org.xbill.DNS.Flags;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Opcode;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SRVRecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.Type;

/**
 * Answers one query from a {@link RecordTable}: the records of the name and type (ANY: all), the SRV targets'
 * addresses (A and AAAA) as additional records, NXDOMAIN with the SOA for an unknown name under the domain, NOERROR with
 * the SOA for a name without data of that type (AAAA for a task on an IPv4-only host), REFUSED for a name outside it (the caller forwards those
 * when it has upstreams). Pure and thread-safe.
 */
final class Answerer {
  private Answerer() {}

  /** Whether the server answers the query itself (rather than forwarding it). */
  static boolean isOurs(Message query, RecordTable table) {
    Record q = query.getQuestion();
    return q == null || query.getHeader().getOpcode() != Opcode.QUERY || table.inDomain(q.getName());
  }

  static Message answer(Message query, RecordTable table) {
    Message response = new Message(query.getHeader().getID());
    response.getHeader().setFlag(Flags.QR);
    if (query.getHeader().getFlag(Flags.RD)) {
      response.getHeader().setFlag(Flags.RD);
    }
    Record question = query.getQuestion();
    if (question == null) {
      response.getHeader().setRcode(Rcode.FORMERR);
      return response;
    }
    response.addRecord(question, Section.QUESTION);
    if (query.getHeader().getOpcode() != Opcode.QUERY) {
      response.getHeader().setRcode(Rcode.NOTIMP);
      return response;
    }
    Name name = question.getName();
    if (!table.inDomain(name)) {
      response.getHeader().setRcode(Rcode.REFUSED);
      return response;
    }
    response.getHeader().setFlag(Flags.AA);
    int type = question.getType();
    List<Record> records = table.lookup(name);
    boolean any = false;
    for (Record r : records) {
      if (type == Type.ANY || r.getType() == type) {
        response.addRecord(r, Section.ANSWER);
        any = true;
        if (r instanceof SRVRecord srv) {
          for (Record a : table.lookup(srv.getTarget())) {
            if ((a.getType() == Type.A || a.getType() == Type.AAAA) && !response.findRecord(a, Section.ADDITIONAL)) {
              response.addRecord(a, Section.ADDITIONAL);
            }
          }
        }
      }
    }
    if (!any) {
      if (!table.exists(name)) {
        response.getHeader().setRcode(Rcode.NXDOMAIN);
      }
      response.addRecord(table.soa(), Section.AUTHORITY);
    }
    return response;
  }

  /** An error answer to a query that could be parsed only as far as its header. */
  static Message error(int id, int rcode) {
    Message response = new Message(id);
    response.getHeader().setFlag(Flags.QR);
    response.getHeader().setRcode(rcode);
    return response;
  }
}
