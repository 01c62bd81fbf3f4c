import "../counter.css";
import { t } from "../i18n.js";
import { Layout } from "../ui/layout.js";
import { MemberGate } from "../ui/member-gate.js";
import { PointDay } from "./day.js";

/** The collection point's phone at the scale: record drop-offs, watch them mint. */
export default function PointFace() {
  return (
    <Layout title={t("role.point")} offline={t("point.offline")}>
      <MemberGate role="point">{(key, signOut) => <PointDay memberKey={key} signOut={signOut} />}</MemberGate>
    </Layout>
  );
}
