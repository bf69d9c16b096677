/* SPDX-License-Identifier: GPL-2.0 */
/*
 * uport-list.h - the kernel's doubly linked list (<linux/list.h>) and
 * fixed-size FIFO (<linux/kfifo.h>) for the userspace builds of the core:
 * the same names, the same semantics, the subset the core uses.
 * list_del() poisons the entry as the kernel does, so that a use after
 * removal faults here too.
 */
#ifndef NEPF_UPORT_LIST_H
#define NEPF_UPORT_LIST_H

struct list_head {
	struct list_head *next, *prev;
};

#define LIST_POISON1		((struct list_head *)0x100)
#define LIST_POISON2		((struct list_head *)0x122)

#define LIST_HEAD_INIT(name)	{ &(name), &(name) }
#define LIST_HEAD(name)		struct list_head name = LIST_HEAD_INIT(name)

static inline void INIT_LIST_HEAD(struct list_head *list)
{
	WRITE_ONCE(list->next, list);
	list->prev = list;
}

static inline void __list_add(struct list_head *entry, struct list_head *prev,
			      struct list_head *next)
{
	next->prev = entry;
	entry->next = next;
	entry->prev = prev;
	WRITE_ONCE(prev->next, entry);
}

static inline void list_add(struct list_head *entry, struct list_head *head)
{
	__list_add(entry, head, head->next);
}

static inline void list_add_tail(struct list_head *entry,
				 struct list_head *head)
{
	__list_add(entry, head->prev, head);
}

static inline void __list_del_entry(struct list_head *entry)
{
	entry->next->prev = entry->prev;
	WRITE_ONCE(entry->prev->next, entry->next);
}

static inline void list_del(struct list_head *entry)
{
	__list_del_entry(entry);
	entry->next = LIST_POISON1;
	entry->prev = LIST_POISON2;
}

static inline void list_del_init(struct list_head *entry)
{
	__list_del_entry(entry);
	INIT_LIST_HEAD(entry);
}

static inline void list_move_tail(struct list_head *entry,
				  struct list_head *head)
{
	__list_del_entry(entry);
	list_add_tail(entry, head);
}

static inline int list_empty(const struct list_head *head)
{
	return READ_ONCE(head->next) == head;
}

/* Move every entry of @list to the end of @head; @list is empty after. */
static inline void list_splice_tail_init(struct list_head *list,
					 struct list_head *head)
{
	struct list_head *first = list->next, *last = list->prev;

	if (list_empty(list))
		return;
	first->prev = head->prev;
	head->prev->next = first;
	last->next = head;
	head->prev = last;
	INIT_LIST_HEAD(list);
}

#define list_entry(ptr, type, member)	container_of(ptr, type, member)
#define list_first_entry(head, type, member) \
	list_entry((head)->next, type, member)
#define list_first_entry_or_null(head, type, member)			\
	({ struct list_head *__head = (head);				\
	   struct list_head *__pos = READ_ONCE(__head->next);		\
	   __pos != __head ? list_entry(__pos, type, member) : NULL; })
#define list_next_entry(pos, member) \
	list_entry((pos)->member.next, __typeof__(*(pos)), member)
#define list_entry_is_head(pos, head, member)	(&(pos)->member == (head))

#define list_for_each_entry(pos, head, member)				\
	for (pos = list_first_entry(head, __typeof__(*pos), member);	\
	     !list_entry_is_head(pos, head, member);			\
	     pos = list_next_entry(pos, member))

#define list_for_each_entry_safe(pos, n, head, member)			\
	for (pos = list_first_entry(head, __typeof__(*pos), member),	\
	     n = list_next_entry(pos, member);				\
	     !list_entry_is_head(pos, head, member);			\
	     pos = n, n = list_next_entry(n, member))

/*
 * <linux/kfifo.h>, the fixed-size kind (DECLARE_KFIFO): a ring of a power
 * of two entries, free-running in/out indices; the caller locks.  @size
 * goes in unparenthesised, as the kernel's macro takes it, so that gcc
 * warns here too about an expression that needs parentheses.
 */
#define DECLARE_KFIFO(fifo, type, size)					\
	struct {							\
		unsigned int in, out;					\
		type buf[((size < 2) || (size & (size - 1))) ? -1 : size]; \
	} fifo
#define INIT_KFIFO(fifo)	((fifo).in = (fifo).out = 0)
#define kfifo_size(fifo)	((unsigned int)ARRAY_SIZE((fifo)->buf))
#define kfifo_len(fifo)		((fifo)->in - (fifo)->out)
#define kfifo_is_empty(fifo)	((fifo)->in == (fifo)->out)
#define kfifo_is_full(fifo)	(kfifo_len(fifo) >= kfifo_size(fifo))
#define kfifo_reset(fifo)	((fifo)->in = (fifo)->out = 0)
#define kfifo_put(fifo, val)						\
	({ __typeof__(fifo) __f = (fifo);				\
	   unsigned int __n = !kfifo_is_full(__f);			\
	   if (__n)							\
		__f->buf[__f->in++ & (kfifo_size(__f) - 1)] = (val);	\
	   __n; })
#define kfifo_get(fifo, ptr)						\
	({ __typeof__(fifo) __f = (fifo);				\
	   unsigned int __n = !kfifo_is_empty(__f);			\
	   if (__n)							\
		*(ptr) = __f->buf[__f->out++ & (kfifo_size(__f) - 1)];	\
	   __n; })

#endif /* NEPF_UPORT_LIST_H */
