import { t } from "../i18n.js";
import { Layout } from "../ui/layout.js";
import { MemberGate } from "../ui/member-gate.js";

export default function PointFace() {
  return (
    <Layout title={t("role.point")}>
      <MemberGate role="point">{(key) => <p>{key.slice(0, 4)}</p>}</MemberGate>
    </Layout>
  );
}
