// SPDX-License-Identifier: GPL-2.0-or-later
#include "ebpf_filter.h"

#include "error.h"
#include "k8s_metadata.h"

#include <bpf/bpf.h>

#include <cctype>
#include <cerrno>
#include <algorithm>
#include <cstring>
#include <set>
#include <vector>

namespace ss::bpf {

struct EbpfFilter::Node {
    enum Kind { Atom, Not, And, Or } kind;
    std::size_t atom = 0;
    std::unique_ptr<Node> left, right;

    bool eval(std::uint32_t mask) const
    {
        switch (kind) {
        case Atom: return (mask >> atom) & 1;
        case Not: return !left->eval(mask);
        case And: return left->eval(mask) && right->eval(mask);
        case Or: return left->eval(mask) || right->eval(mask);
        }
        return false;
    }
};

namespace {

struct Token {
    enum Kind { Word, String, Op, End } kind;
    std::string text;
    std::size_t at;
};

std::vector<Token> tokenize(const std::string& s)
{
    std::vector<Token> out;
    std::size_t i = 0;
    const auto fail = [&](const std::string& why, std::size_t at) {
        throw EngineError("parse --ebpf-filter", s, why + " at column " + std::to_string(at + 1));
    };
    while (i < s.size()) {
        const char c = s[i];
        if (std::isspace(static_cast<unsigned char>(c))) {
            ++i;
        } else if (c == '"') {
            std::string text;
            std::size_t j = i + 1;
            for (; j < s.size() && s[j] != '"'; ++j) {
                if (s[j] == '\\' && j + 1 < s.size())
                    ++j;
                text += s[j];
            }
            if (j >= s.size())
                fail("unterminated string", i);
            out.push_back({Token::String, text, i});
            i = j + 1;
        } else if (s.compare(i, 2, "==") == 0 || s.compare(i, 2, "!=") == 0 || s.compare(i, 2, "&&") == 0 ||
                   s.compare(i, 2, "||") == 0) {
            out.push_back({Token::Op, s.substr(i, 2), i});
            i += 2;
        } else if (c == '!' || c == '(' || c == ')') {
            out.push_back({Token::Op, std::string(1, c), i});
            ++i;
        } else if (std::isalnum(static_cast<unsigned char>(c)) || std::strchr("_.:/-", c)) {
            std::size_t j = i;
            while (j < s.size() && (std::isalnum(static_cast<unsigned char>(s[j])) || std::strchr("_.:/-", s[j])))
                ++j;
            out.push_back({Token::Word, s.substr(i, j - i), i});
            i = j;
        } else {
            fail(std::string("unexpected \"") + c + "\"", i);
        }
    }
    out.push_back({Token::End, "", s.size()});
    return out;
}

class Parser {
public:
    Parser(const std::string& text, std::vector<EbpfFilter::Atom>& atoms)
        : text_(text), tokens_(tokenize(text)), atoms_(atoms)
    {
    }

    std::unique_ptr<EbpfFilter::Node> parse()
    {
        auto node = parseOr();
        if (peek().kind != Token::End)
            fail("unexpected \"" + peek().text + "\"");
        return node;
    }

private:
    using NodePtr = std::unique_ptr<EbpfFilter::Node>;

    const Token& peek() const { return tokens_[pos_]; }
    bool accept(std::initializer_list<const char*> words)
    {
        const Token& t = peek();
        if (t.kind != Token::Word && t.kind != Token::Op)
            return false;
        for (const char* w : words)
            if (t.text == w) {
                ++pos_;
                return true;
            }
        return false;
    }
    [[noreturn]] void fail(const std::string& why) const { fail(why, peek()); }
    [[noreturn]] void fail(const std::string& why, const Token& where) const
    {
        throw EngineError("parse --ebpf-filter", text_, why + " at column " + std::to_string(where.at + 1));
    }
    static NodePtr binary(EbpfFilter::Node::Kind kind, NodePtr left, NodePtr right)
    {
        auto node = std::make_unique<EbpfFilter::Node>();
        node->kind = kind;
        node->left = std::move(left);
        node->right = std::move(right);
        return node;
    }

    NodePtr parseOr()
    {
        NodePtr node = parseAnd();
        while (accept({"or", "||"}))
            node = binary(EbpfFilter::Node::Or, std::move(node), parseAnd());
        return node;
    }
    NodePtr parseAnd()
    {
        NodePtr node = parseUnary();
        while (accept({"and", "&&"}))
            node = binary(EbpfFilter::Node::And, std::move(node), parseUnary());
        return node;
    }
    NodePtr parseUnary()
    {
        // Negations in a row are counted, not recursed into (65,000 of them must not
        // exhaust the helper's stack); `not not x` is x.
        bool negate = false;
        while (accept({"not", "!"}))
            negate = !negate;
        NodePtr node;
        if (accept({"("})) {
            if (++depth_ > kMaxDepth)
                fail("parentheses nested deeper than " + std::to_string(kMaxDepth));
            node = parseOr();
            --depth_;
            if (!accept({")"}))
                fail("expected \")\"");
        } else {
            node = parseComparison();
        }
        return negate ? binary(EbpfFilter::Node::Not, std::move(node), nullptr) : std::move(node);
    }
    NodePtr parseComparison()
    {
        const Token field = peek();
        if (field.kind != Token::Word)
            fail(field.kind == Token::End ? "expected a field" : "expected a field, not \"" + field.text + "\"");
        ++pos_;
        static const std::map<std::string, EbpfFilter::Atom::Field> kFields = {
            {"proc.pid", EbpfFilter::Atom::Pid},      {"proc.name", EbpfFilter::Atom::Name},
            {"container.id", EbpfFilter::Atom::Container}, {"k8s.pod", EbpfFilter::Atom::Pod},
            {"k8s.ns", EbpfFilter::Atom::Namespace}};
        const auto known = kFields.find(field.text);
        if (known == kFields.end())
            throw FieldNotInKernel(text_,
                              "\"" + field.text + "\" cannot be filtered in the kernel (fields: proc.pid, proc.name, "
                              "container.id, k8s.pod, k8s.ns); capture without it and filter the file with -Y");
        const bool equal = accept({"==", "eq"});
        const bool notEqual = !equal && accept({"!=", "ne"});
        if (!equal && !notEqual) // the field alone: present
            return atom({known->second, ""});
        const Token value = peek();
        if (value.kind != Token::Word && value.kind != Token::String)
            fail("expected a value after \"" + field.text + "\"");
        ++pos_;
        if (value.text.empty())
            fail("empty value", value);
        if (known->second == EbpfFilter::Atom::Pid &&
            (value.text.find_first_not_of("0123456789") != std::string::npos || value.text.size() > 9))
            fail("proc.pid takes a number, not \"" + value.text + "\"", value);
        if (known->second == EbpfFilter::Atom::Container && value.text.size() < 12)
            fail("container.id needs 12 hex digits or more", value);
        NodePtr compare = atom({known->second, value.text});
        if (equal)
            return compare;
        // a != b: the field is there and differs (a packet without it does not match).
        return binary(EbpfFilter::Node::And, atom({known->second, ""}),
                      binary(EbpfFilter::Node::Not, std::move(compare), nullptr));
    }
    NodePtr atom(EbpfFilter::Atom a)
    {
        std::size_t index = 0;
        while (index < atoms_.size() && !(atoms_[index].field == a.field && atoms_[index].value == a.value))
            ++index;
        if (index == atoms_.size()) {
            if (atoms_.size() == SS_META_MAX_ATOMS)
                fail("more than " + std::to_string(SS_META_MAX_ATOMS) + " different comparisons");
            atoms_.push_back(std::move(a));
        }
        auto node = std::make_unique<EbpfFilter::Node>();
        node->kind = EbpfFilter::Node::Atom;
        node->atom = index;
        return node;
    }

    static constexpr int kMaxDepth = 32;

    std::string text_;
    std::vector<Token> tokens_;
    std::vector<EbpfFilter::Atom>& atoms_;
    std::size_t pos_ = 0;
    int depth_ = 0;
};

} // namespace

EbpfFilter::EbpfFilter(const std::string& text)
{
    // Bounded before anything else: the tree's depth (and so evaluation and destruction)
    // grows with the number of terms.
    if (text.size() > kMaxLength)
        throw EngineError("parse --ebpf-filter", text.substr(0, 40) + "…",
                          "longer than " + std::to_string(kMaxLength) + " characters");
    root_ = Parser(text, atoms_).parse();
}

EbpfFilter::~EbpfFilter() = default;
EbpfFilter::EbpfFilter(EbpfFilter&&) noexcept = default;

bool EbpfFilter::needsPods() const
{
    for (const Atom& a : atoms_)
        if ((a.field == Atom::Pod || a.field == Atom::Namespace) && !a.value.empty())
            return true;
    return false;
}

bool EbpfFilter::needsCgroups() const
{
    for (const Atom& a : atoms_)
        if (a.field == Atom::Container || a.field == Atom::Pod || a.field == Atom::Namespace)
            return true;
    return false;
}

ss_meta_config EbpfFilter::config() const
{
    ss_meta_config c{};
    c.enabled = 1;
    for (std::size_t i = 0; i < atoms_.size(); ++i)
        if ((atoms_[i].field == Atom::Pid || atoms_[i].field == Atom::Name) && atoms_[i].value.empty())
            c.owner_bits |= 1u << i; // proc.* is present whenever the owner is known
    for (std::uint32_t mask = 0; mask < (1u << SS_META_MAX_ATOMS); ++mask)
        if (root_->eval(mask))
            c.truth[mask >> 3] |= std::uint8_t(1u << (mask & 7));
    return c;
}

bool EbpfFilter::matches(const MetaFields& f) const
{
    std::uint32_t mask = 0;
    for (std::size_t i = 0; i < atoms_.size(); ++i) {
        const Atom& a = atoms_[i];
        bool on = false;
        switch (a.field) {
        case Atom::Pid: on = a.value.empty() ? !f.pid.empty() : f.pid == a.value; break;
        case Atom::Name:
            on = a.value.empty() ? !f.name.empty()
                                 : !f.name.empty() && f.name.substr(0, SS_META_COMM_LEN - 1) ==
                                                          a.value.substr(0, SS_META_COMM_LEN - 1);
            break;
        case Atom::Container:
            on = a.value.empty() ? !f.containerId.empty() : !f.containerId.empty() && f.containerId.starts_with(a.value);
            break;
        case Atom::Pod: {
            const auto slash = a.value.find('/');
            on = a.value.empty()                 ? !f.pod.empty()
                 : slash == std::string::npos ? f.pod == a.value
                                              : f.ns == a.value.substr(0, slash) && f.pod == a.value.substr(slash + 1);
            break;
        }
        case Atom::Namespace: on = a.value.empty() ? !f.ns.empty() : f.ns == a.value; break;
        }
        if (on)
            mask |= 1u << i;
    }
    return root_->eval(mask);
}

std::set<std::string> EbpfFilter::podsNamed(const Atom& a, const PodDirectory& pods)
{
    std::set<std::string> uids;
    if ((a.field != Atom::Pod && a.field != Atom::Namespace) || a.value.empty())
        return uids;
    const auto slash = a.value.find('/'); // k8s.pod == namespace/name
    for (const PodInfo* pod : pods.all()) {
        const bool match = a.field == Atom::Namespace ? pod->ns == a.value
                           : slash == std::string::npos
                               ? pod->name == a.value
                               : pod->ns == a.value.substr(0, slash) && pod->name == a.value.substr(slash + 1);
        if (match)
            uids.insert(pod->uid);
    }
    return uids;
}

std::vector<std::string> EbpfFilter::unknownNames(const CgroupDirectory& cgroups, const PodDirectory& pods) const
{
    std::vector<std::string> out;
    const auto known = [](std::set<std::string> names) {
        std::string list;
        std::size_t shown = 0;
        for (const std::string& n : names) {
            if (shown++ == 8) {
                list += ", … (" + std::to_string(names.size()) + " in all)";
                break;
            }
            list += (list.empty() ? "" : ", ") + n;
        }
        return list.empty() ? std::string("none") : list;
    };
    for (const Atom& a : atoms_) {
        if (a.value.empty())
            continue;
        if (a.field == Atom::Pod || a.field == Atom::Namespace) {
            if (!podsNamed(a, pods).empty())
                continue;
            std::set<std::string> names;
            for (const PodInfo* pod : pods.all())
                names.insert(a.field == Atom::Pod ? pod->ns + "/" + pod->name : pod->ns);
            out.push_back(std::string(a.field == Atom::Pod ? "k8s.pod" : "k8s.ns") + " == " + a.value +
                          ": no such " + (a.field == Atom::Pod ? "pod" : "namespace") + " on this node (it knows " +
                          known(names) + ")");
        } else if (a.field == Atom::Container) {
            bool found = false;
            std::set<std::string> ids;
            for (const auto& [id, entry] : cgroups.entries()) {
                const std::string& c = entry.identity.containerId;
                if (c.empty())
                    continue;
                found = found || c.starts_with(a.value);
                ids.insert(c.substr(0, 12));
            }
            if (!found)
                out.push_back("container.id == " + a.value + ": no such container on this node (it knows " +
                              known(ids) + ")");
        }
    }
    return out;
}

EbpfFilter::Sets EbpfFilter::sets(const CgroupDirectory& cgroups, const PodDirectory& pods) const
{
    Sets out;
    for (std::size_t i = 0; i < atoms_.size(); ++i) {
        const Atom& a = atoms_[i];
        const std::uint32_t bit = 1u << i;
        if (a.field == Atom::Pid && !a.value.empty())
            out.pids[std::uint32_t(std::stoul(a.value))] |= bit;
        if (a.field == Atom::Name && !a.value.empty())
            out.comms[a.value.substr(0, SS_META_COMM_LEN - 1)] |= bit;
        if (a.field != Atom::Container && a.field != Atom::Pod && a.field != Atom::Namespace)
            continue;
        const std::set<std::string> uids = podsNamed(a, pods); // the pods the atom names
        for (const auto& [id, entry] : cgroups.entries()) {
            const CgroupIdentity& who = entry.identity;
            bool match;
            if (a.field == Atom::Container)
                match = !who.containerId.empty() && (a.value.empty() || who.containerId.starts_with(a.value));
            else
                match = !who.podUid.empty() && (a.value.empty() || uids.count(who.podUid));
            if (match)
                out.cgroups[id] |= bit;
        }
    }
    return out;
}

void writeFilterMaps(const EbpfFilter& filter, const EbpfFilter::Sets& sets, const MetaFilterMaps& maps)
{
    const auto update = [](int fd, const void* key, const void* value, const char* map) {
        if (bpf_map_update_elem(fd, key, value, BPF_ANY) != 0)
            throw EngineError("fill --ebpf-filter map", map, std::strerror(errno));
    };
    for (const auto& [pid, bits] : sets.pids)
        update(maps.pids, &pid, &bits, "ss_meta_pids");
    for (const auto& [name, bits] : sets.comms) {
        char key[SS_META_COMM_LEN] = {};
        std::memcpy(key, name.data(), std::min(name.size(), sizeof key - 1));
        update(maps.comms, key, &bits, "ss_meta_comms");
    }
    // Cgroups no longer in the set (removed, or no longer matching) leave the map first, so
    // that a node's container churn never fills it.
    std::vector<std::uint64_t> stale;
    std::uint64_t key = 0, next = 0;
    for (bool first = true; bpf_map_get_next_key(maps.cgroups, first ? nullptr : &key, &next) == 0; first = false) {
        key = next;
        if (!sets.cgroups.count(key))
            stale.push_back(key);
    }
    for (const std::uint64_t id : stale)
        bpf_map_delete_elem(maps.cgroups, &id);
    for (const auto& [id, bits] : sets.cgroups)
        update(maps.cgroups, &id, &bits, "ss_meta_cgroups");
    const std::uint32_t zero = 0;
    const ss_meta_config config = filter.config(); // last: the sets are in place when it turns on
    update(maps.config, &zero, &config, "ss_meta_config");
}

} // namespace ss::bpf
