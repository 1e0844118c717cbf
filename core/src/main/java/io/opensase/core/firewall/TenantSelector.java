package io.opensase.core.firewall;

import io.opensase.classifiers.acl.IpPrefix;

/**
 * One way a tenant's packets are recognised. Precedence, most specific first: port with a QinQ pair, port
 * with one VLAN, VXLAN/GENEVE VNI, then the longest matching prefix (the packet's source, or for return
 * traffic its destination). A packet no selector takes belongs to no tenant.
 *
 * @param port      ingress port name, or null for any (VLAN selectors need one).
 * @param outerVlan outer (or only) VLAN id, or -1.
 * @param innerVlan inner VLAN id of a QinQ pair, or -1.
 * @param vni       tunnel id, or -1.
 * @param prefix    address prefix, or null.
 */
public record TenantSelector(String port, int outerVlan, int innerVlan, long vni, IpPrefix prefix)
{
}
